/**
 * 案件登记回执 (/console/cases/:caseId/receipt), where 登记 lands: the case number, when it was received (the
 * time that interrupts the limitation period), the dispute, the parties as the API shows them (masked), the
 * materials received, the access codes, the next step, the center's note and a QR code to the party portal.
 * 打印回执 prints the receipt alone on A4 (receipt.css); 查看案件 and 继续登记 lead on.
 *
 * For a case registered in this tab, the scans attached at intake are followed here (a failed one with 重试)
 * and the access codes are issued once (after-registration.ts). Opened later (a reload, a link), the receipt
 * shows what the case holds and issues a code only when asked. A case whose record is still being written
 * (POST /cases answered 202) is asked for again until it is there.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ok, type CaseView } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { PageHeading } from '../a11y';
import { formatDateTime, formatDay, formatDue, formatFen } from '../format';
import { issueCodesOnce, openReceipt, unfinished, useRegistration } from '../intake/after-registration';
import { AccessCodes, codeHolders } from '../intake/receipt/AccessCodes';
import { PortalQr } from '../intake/receipt/PortalQr';
import { ReceiptMaterials } from '../intake/receipt/ReceiptMaterials';
import '../intake/receipt/receipt.css';
import { CHANNEL_LABELS, DISPUTE_TYPE_LABELS, label, PARTY_ROLE_LABELS } from '../labels';
import { useSession } from '../session';
import { caseKey, materialsKey } from './case/keys';
import { NotFoundPage } from './NotFoundPage';

/** The center as the receipt names it. */
const CENTER = '一站式非诉讼纠纷化解中心';
const COURT_CHANNELS = new Set(['court_pre_filing', 'court_post_filing']);

export default function IntakeReceipt() {
  const { caseId = '' } = useParams();
  const registration = useRegistration(caseId);
  const fresh = registration !== undefined;
  const view = useQuery({
    queryKey: caseKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}', { params: { path: { caseId } } })),
    // Just registered and answered 202: the record follows within moments.
    retry: (n, e) => (e instanceof ApiError && e.status === 404 ? fresh && n < 10 : n < 2),
    retryDelay: 1000,
  });
  if (view.isError && view.error instanceof ApiError && view.error.status === 404) return <NotFoundPage what="案件" />;
  if (view.isError) {
    return (
      <>
        <PageHeading title="案件登记回执" />
        <Alert
          type="error"
          showIcon
          title={errorText(view.error, '案件加载失败，请重试。')}
          action={<Button onClick={() => void view.refetch()}>重试</Button>}
        />
      </>
    );
  }
  if (!view.data) {
    return (
      <Spin description="正在加载回执…">
        <div className="receipt-loading" />
      </Spin>
    );
  }
  return <Receipt view={view.data} />;
}

function Receipt({ view }: { view: CaseView }) {
  const { caseId } = view;
  const { principal } = useSession();
  const queryClient = useQueryClient();
  const registration = useRegistration(caseId);
  const materials = useQuery({
    queryKey: materialsKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/materials', { params: { path: { caseId } } })),
  });
  const clerk = principal?.role === 'clerk';
  const holders = codeHolders(view.parties);
  const [chosen, setChosen] = useState<string>();
  const recipient = chosen ?? holders[0]?.party.partyId;
  const uploads = registration?.uploads ?? [];
  const done = uploads.filter((u) => u.status === 'done').length;
  const left = unfinished(registration).length;
  const autoHolders = holders
    .filter((h) => h.auto)
    .map((h) => h.party.partyId)
    .join(',');

  // While the receipt is open its codes stay on screen; they are dropped soon after it closes.
  useEffect(() => openReceipt(caseId), [caseId]);
  useEffect(() => {
    if (clerk && autoHolders) issueCodesOnce(caseId, autoHolders.split(','));
  }, [caseId, clerk, autoHolders]);
  // Each scan that arrived: the case's own list again (the receipt lists what the server holds).
  useEffect(() => {
    if (done > 0) void queryClient.invalidateQueries({ queryKey: materialsKey(caseId) });
  }, [done, caseId, queryClient]);
  // A scan not yet in the case would be lost with the page: the browser asks before a reload or close.
  useEffect(() => {
    if (left === 0) return;
    const hold = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', hold);
    return () => window.removeEventListener('beforeunload', hold);
  }, [left]);

  const deadlines = (view.deadlines ?? []).filter((d) => d.status === 'open' && d.dueAt);
  const court = view.court;
  return (
    <div className="receipt-page">
      <article className="receipt" aria-labelledby="receipt-title">
        <header className="receipt-head">
          <p className="receipt-center">{CENTER}</p>
          <div id="receipt-title">
            <PageHeading title="案件登记回执" />
          </div>
          <p className="receipt-number">
            案号：<span data-testid="receipt-case-number">{view.caseNumber}</span>
          </p>
        </header>
        {/* Right after the heading, where focus lands: the receipt's own actions (not printed). */}
        <Space className="receipt-toolbar receipt-no-print" wrap>
          <Button type="primary" onClick={() => window.print()}>
            打印回执
          </Button>
          <Link to={`/cases/${caseId}`}>查看案件</Link>
          <Link to="/cases/new">继续登记</Link>
        </Space>

        <div className="receipt-top">
          <dl className="receipt-facts">
            <div>
              <dt>登记时间</dt>
              <dd>{formatDateTime(view.receivedAt)}</dd>
            </div>
            <div>
              <dt>登记渠道</dt>
              <dd>{label(CHANNEL_LABELS, view.channel)}</dd>
            </div>
            <div>
              <dt>纠纷类型</dt>
              <dd>{label(DISPUTE_TYPE_LABELS, view.disputeType)}</dd>
            </div>
            {view.claimAmountFen !== null ? (
              <div>
                <dt>标的金额</dt>
                <dd>{formatFen(view.claimAmountFen)}</dd>
              </div>
            ) : null}
            {court ? (
              <div>
                <dt>{view.channel === 'court_pre_filing' ? '委派法院' : '委托法院'}</dt>
                <dd>
                  {court.courtName ?? court.courtCode}
                  {court.courtCaseNumber ? ` ${court.courtCaseNumber}` : ''}
                  {court.letterNumber ? `，函号 ${court.letterNumber}` : ''}
                  {court.deadline ? `，函定期限 ${formatDay(court.deadline)}` : ''}
                </dd>
              </div>
            ) : null}
          </dl>
          <PortalQr />
        </div>

        <section aria-labelledby="receipt-parties">
          <h2 id="receipt-parties">当事人</h2>
          <table className="receipt-table">
            <thead>
              <tr>
                <th scope="col">身份</th>
                <th scope="col">姓名或名称</th>
                <th scope="col">证件号码</th>
                <th scope="col">手机号码</th>
              </tr>
            </thead>
            <tbody>
              {view.parties.map((p) => {
                const principalParty = p.representsPartyId
                  ? view.parties.find((x) => x.partyId === p.representsPartyId)
                  : undefined;
                return (
                  <tr key={p.partyId}>
                    <td>
                      {label(PARTY_ROLE_LABELS, p.role)}
                      {principalParty
                        ? `（${label(PARTY_ROLE_LABELS, principalParty.role)} ${principalParty.name}）`
                        : ''}
                    </td>
                    <th scope="row">{p.name}</th>
                    <td>{p.idNumber ?? p.creditCode ?? '—'}</td>
                    <td>{p.phone ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>

        <ReceiptMaterials
          caseId={caseId}
          received={materials.data?.materials}
          uploads={uploads}
          loadError={materials.isError ? errorText(materials.error) : null}
        />

        {clerk && holders.length ? (
          <AccessCodes
            caseId={caseId}
            holders={holders}
            codes={registration?.codes ?? {}}
            recipient={recipient}
            onRecipient={setChosen}
          />
        ) : null}

        <section aria-labelledby="receipt-next">
          <h2 id="receipt-next">下一步</h2>
          <p>
            中心将进行受理审查，决定是否受理并通知各方当事人；受理后分派调解员，由调解员与当事人联系。当事人可凭查询码和短信验证码，在当事人服务平台查看进展。
          </p>
          {deadlines.length ? (
            <ul className="receipt-list">
              {deadlines.map((d) => (
                <li key={`${d.ruleId}-${d.startedAt}`}>
                  {d.label}：{formatDue(d.dueAt)} 届满（{d.citation}）
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section aria-labelledby="receipt-note">
          <h2 id="receipt-note">中心提示</h2>
          <ol className="receipt-list">
            {COURT_CHANNELS.has(view.channel) ? null : (
              // 最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定 (2020) Art 12.
              <li>
                本回执所载登记时间即为提出调解请求的时间。向人民调解委员会等组织提出保护民事权利的请求的，诉讼时效从提出请求之日起中断（《最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定》第十二条）。
              </li>
            )}
            <li>
              查询码是查看案件进展的凭证，请妥善保管，不要告诉他人；登录时还需输入发送到登记手机号码的短信验证码。查询码遗失的，可到中心重新签发，原查询码随即失效。
            </li>
            <li>当事人的联系电话、地址如有变更，请及时告知中心，以免影响通知送达。</li>
          </ol>
        </section>

        <footer className="receipt-foot">
          <span>登记机构：{CENTER}（盖章）</span>
          <span>经办人：{principal?.name ?? ''}</span>
        </footer>
      </article>
    </div>
  );
}
