/**
 * 选择调解员: after acceptance the parties may jointly choose a mediator within 2 working days (人民法院在线调解规则
 * 第十条); otherwise the organization designates one. Shown only while the server offers this party
 * `mediator/choices`. The roster is what a party may see (在线调解规则第五条: the organization, qualification,
 * specialties, whether free of charge) with the level and the bad records inside their disclosure window (the public
 * directory's, seed Art 21), first those who take this case's kind of dispute, with a way to see all.
 * Each party names one; when both named the same, the server assigns that mediator. Until then each choice is in
 * the case's events (MediatorChosen), from which this card says who chose whom. A party may change their choice
 * while the window is open: it is the same request again.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api, idempotencyKey, ok, type CaseView } from '../../../api/client';
import { errorText } from '../../../api/problems';
import type { paths } from '../../../api/schema';
import { announce } from '../../../shared/a11y';
import { formatDue } from '../../../shared/format';
import { DISPUTE_TYPE_LABELS, MEDIATOR_LANGUAGE_LABELS, ORGANIZATION_KIND_LABELS, label } from '../../../shared/labels';
import { offers } from '../SignPage';
import { openDeadline, useMyPartyIds } from './party';
import { ConfirmButtons } from '../ConfirmButtons';
import { CreditFacts } from '../directory/CreditFacts';
import { useDirectoryMediators } from '../directory/useDirectory';

type Mediator = paths['/roster/mediators']['get']['responses'][200]['content']['application/json']['mediators'][number];
type DisputeType = CaseView['disputeType'];

const rosterKey = (disputeType: DisputeType | 'all') => ['portal', 'roster', disputeType] as const;

function useRoster(disputeType: DisputeType | 'all') {
  return useQuery({
    queryKey: rosterKey(disputeType),
    queryFn: () =>
      ok(
        api.GET('/roster/mediators', {
          params: { query: { available: 'true', ...(disputeType === 'all' ? {} : { disputeType }) } },
        }),
      ),
  });
}

export function MediatorChoiceCard({ c }: { c: CaseView }) {
  if (offers(c, 'mediator/choices')) return <MediatorChoice c={c} />;
  // Chosen by both: who it is, until the mediator has answered.
  if (c.status === 'PENDING_MEDIATOR_ACCEPT' && c.assignment?.mode === 'party_choice' && c.assignment.mediatorId)
    return <JointChoice c={c} mediatorId={c.assignment.mediatorId} />;
  return null;
}

function JointChoice({ c, mediatorId }: { c: CaseView; mediatorId: string }) {
  const roster = useRoster('all');
  const headingId = useId();
  const deadline = openDeadline(c, 'mediator_acceptance');
  const m = roster.data?.mediators.find((x) => x.mediatorId === mediatorId);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>调解员</h2>
      <p data-testid="joint-choice">
        双方共同选定了{m ? ` ${m.displayName}（${m.organization.name}）` : '同一位调解员'}，正在等待调解员确认接手
        {deadline ? (
          <>
            （截止到 <time dateTime={deadline.dueAt}>{formatDue(deadline.dueAt)}</time>）
          </>
        ) : null}
        。调解员不接手的，双方可以重新选择，或由调解组织指定。
      </p>
    </section>
  );
}

/** 榕城区人民调解委员会, not 榕城区人民调解委员会（人民调解委员会）: the kind only where the name does not say it. */
function organizationText(m: Mediator): string {
  const kind = label(ORGANIZATION_KIND_LABELS, m.organization.kind);
  return m.organization.name.endsWith(kind) ? m.organization.name : `${m.organization.name}（${kind}）`;
}

/**
 * Each party's current choice: the case's own record of them (assignment.choices) where the view has it, else
 * the events (MediatorChosen; a later choice replaces an earlier one).
 */
function choices(c: CaseView): Map<string, string> {
  if (c.assignment?.choices) return new Map(Object.entries(c.assignment.choices));
  const latest = new Map<string, string>();
  for (const e of c.events) {
    if (e.type !== 'MediatorChosen') continue;
    const { partyId, mediatorId } = e.payload;
    if (typeof partyId === 'string' && typeof mediatorId === 'string') latest.set(partyId, mediatorId);
  }
  return latest;
}

function freeOfChargeText(m: Mediator): string {
  if (m.organization.freeOfCharge === true) return '免费（人民调解不收取任何费用）';
  if (m.organization.freeOfCharge === false) return '可能收费，请向调解组织咨询';
  return '是否收费请向调解组织咨询';
}

function MediatorChoice({ c }: { c: CaseView }) {
  const caseId = c.caseId;
  const queryClient = useQueryClient();
  const { mine } = useMyPartyIds(c);
  const [showAll, setShowAll] = useState(false);
  const matching = useRoster(c.disputeType);
  const all = useRoster('all');
  const roster = showAll ? all : matching;
  // The bad records inside their window come from the public directory (the roster carries the level only).
  const directory = useDirectoryMediators();
  const recordsOf = (mediatorId: string) =>
    directory.data?.mediators.find((d) => d.mediatorId === mediatorId)?.sanctions ?? [];
  const recordsState = directory.isError ? 'failed' : directory.isPending ? 'loading' : 'loaded';
  const [picked, setPicked] = useState<Mediator | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());
  const headingId = useId();
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const returnFocus = useRef(false);

  // The confirmation replaces the list: a keyboard or screen-reader user starts reading at its question.
  useEffect(() => {
    if (picked) confirmHeading.current?.focus();
    else if (returnFocus.current) listHeading.current?.focus();
  }, [picked]);

  const deadline = openDeadline(c, 'party_mediator_choice');
  const chosen = choices(c);
  const nameOf = (mediatorId: string) =>
    all.data?.mediators.find((m) => m.mediatorId === mediatorId)?.displayName ??
    matching.data?.mediators.find((m) => m.mediatorId === mediatorId)?.displayName;
  const myChoice = [...chosen].find(([partyId]) => mine(partyId))?.[1];
  const theirs = [...chosen].filter(([partyId]) => !mine(partyId)).map(([, mediatorId]) => mediatorId);
  const disputeLabel = label(DISPUTE_TYPE_LABELS, c.disputeType);

  function choose(m: Mediator) {
    key.current = idempotencyKey();
    setError(null);
    setPicked(m);
  }

  function back() {
    returnFocus.current = true;
    setError(null);
    setPicked(null);
  }

  async function confirm(m: Mediator) {
    setBusy(true);
    setError(null);
    try {
      const answer = await ok(
        api.POST('/cases/{caseId}/mediator/choices', {
          params: { path: { caseId } },
          body: { mediatorId: m.mediatorId },
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      announce(
        answer.status === 'PENDING_MEDIATOR_ACCEPT'
          ? `双方都选择了${m.displayName}，已确定由其调解，等待调解员确认。`
          : `您已选择${m.displayName}。`,
      );
      returnFocus.current = true;
      setPicked(null);
      await queryClient.invalidateQueries({ queryKey: ['portal'] });
    } catch (e) {
      const text = errorText(e, '未能提交，请稍后重试。');
      setError(text);
      announce(`选择未成功：${text}`);
    } finally {
      setBusy(false);
    }
  }

  const theirText =
    theirs.length === 0
      ? '对方尚未选择。'
      : theirs.map((id) => `对方选择了：${nameOf(id) ?? '另一位调解员'}。`).join('');

  return (
    <section className="card next mediator-choice" aria-labelledby={headingId}>
      <h2 id={headingId}>选择调解员</h2>
      <p>
        受理后 2
        个工作日内，双方可以共同选定一位调解员；双方选了同一位的，由该调解员调解。未共同选定的，由调解组织指定调解员（《人民法院在线调解规则》第十条）。
      </p>
      {deadline ? (
        <p>
          <strong>选择截止：</strong>
          <time dateTime={deadline.dueAt}>{formatDue(deadline.dueAt)}</time>
        </p>
      ) : null}
      <p className="choice-status" data-testid="mediator-choice-status">
        {myChoice ? `您已选择：${nameOf(myChoice) ?? '一位调解员'}；` : '您尚未选择；'}
        {theirText}
        {myChoice ? '在截止前您可以改选。' : ''}
      </p>

      {picked ? (
        <div className="confirm-step">
          <h3 ref={confirmHeading} tabIndex={-1}>
            确认选择 {picked.displayName}？
          </h3>
          <p>
            {picked.displayName}（{picked.organization.name}）。
            {theirs.includes(picked.mediatorId)
              ? '对方也选择了这位调解员，确认后即由其调解，并等待调解员确认接手。'
              : '对方选择同一位调解员后，才由其调解。'}
          </p>
          <ConfirmButtons
            busy={busy}
            confirm="确认选择"
            onConfirm={() => void confirm(picked)}
            onBack={back}
            error={error ?? null}
          />
        </div>
      ) : (
        <>
          <h3 ref={listHeading} tabIndex={-1}>
            {showAll ? '全部可选的调解员' : `擅长“${disputeLabel}”的调解员`}
          </h3>
          <button type="button" className="secondary" onClick={() => setShowAll((v) => !v)}>
            {showAll ? `只看擅长“${disputeLabel}”的调解员` : '查看全部调解员'}
          </button>
          {roster.isError ? (
            <div className="error" role="alert">
              <p>调解员名单未能加载：{errorText(roster.error, '请检查网络后重试。')}</p>
              <button type="button" className="secondary" onClick={() => void roster.refetch()}>
                重试
              </button>
            </div>
          ) : !roster.data ? (
            <p role="status">正在加载调解员名单…</p>
          ) : roster.data.mediators.length === 0 ? (
            <p>
              {showAll
                ? '目前没有可接受新案件的调解员，将由调解组织指定。'
                : `目前没有擅长“${disputeLabel}”且可接受新案件的调解员，可查看全部调解员。`}
            </p>
          ) : (
            <ul className="mediator-list">
              {roster.data.mediators.map((m) => (
                <li key={m.mediatorId} className="mediator-card">
                  <h4>
                    {m.displayName}
                    {m.mediatorId === myChoice ? <span className="tag">（您已选择）</span> : null}
                    {theirs.includes(m.mediatorId) ? <span className="tag">（对方已选择）</span> : null}
                  </h4>
                  <dl className="facts">
                    <dt>所在组织</dt>
                    <dd>{organizationText(m)}</dd>
                    {m.qualification ? (
                      <>
                        <dt>资格</dt>
                        <dd>{m.qualification.label}</dd>
                      </>
                    ) : null}
                    <dt>擅长</dt>
                    <dd>
                      {m.specialties.length
                        ? m.specialties.map((s) => label(DISPUTE_TYPE_LABELS, s)).join('、')
                        : '各类纠纷'}
                    </dd>
                    <dt>语言</dt>
                    <dd>{m.languages.map((l) => label(MEDIATOR_LANGUAGE_LABELS, l)).join('、') || '普通话'}</dd>
                    <dt>费用</dt>
                    <dd>{freeOfChargeText(m)}</dd>
                    <CreditFacts level={m.level} sanctions={recordsOf(m.mediatorId)} sanctionsState={recordsState} />
                  </dl>
                  {m.mediatorId === myChoice ? null : (
                    <button type="button" className="primary" onClick={() => choose(m)}>
                      {myChoice ? '改选' : '选择'} {m.displayName}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
