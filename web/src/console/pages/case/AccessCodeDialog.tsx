/**
 * 签发访问码 / 重新签发: a new access code for a party, with which (and a code texted to their phone) the party
 * opens their case in the portal. A party has one code at a time: issuing a new one replaces the old, which
 * stops working at once (db/identity.ts issueAccessCode), so a re-issue is confirmed first. The code is shown
 * once, in large type, with where it was texted (the API's `sentTo`, masked): the server keeps only its hash,
 * and a replay of the same request (the same Idempotency-Key: one per dialog, so a 签发 pressed again after a
 * lost answer issues nothing new) answers without it, which is said, not shown as a blank. The code lives in
 * this dialog only (a mutation, out of the query cache) and is gone when it closes.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Typography } from 'antd';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { api, idempotencyKey, ok, type CaseView } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { announce } from '../../a11y';
import { formatDateTime } from '../../format';
import { label, PARTY_ROLE_LABELS } from '../../labels';
import { caseKey, deliveriesKey } from './keys';

type Party = CaseView['parties'][number];

/** The visible words of the party's button and the dialog's title: the first code, or a new one. */
export const accessCodeAction = (p: Party) => (p.accessCodeIssuedAt ? '重新签发' : '签发访问码');

export function AccessCodeDialog({
  caseId,
  party,
  open,
  onClose,
  afterClose,
}: {
  caseId: string;
  party: Party;
  open: boolean;
  onClose(): void;
  afterClose(): void;
}) {
  const queryClient = useQueryClient();
  // One key for this dialog: 签发 pressed again after a lost answer is the same request, and issues nothing new.
  const [key] = useState(idempotencyKey);
  // Whether the party had a code when the dialog opened (the case view is refreshed once one is issued).
  const [reissue] = useState(() => Boolean(party.accessCodeIssuedAt));
  const shownRef = useRef<HTMLHeadingElement>(null);
  const issue = useMutation({
    gcTime: 0,
    mutationFn: () =>
      ok(
        api.POST('/cases/{caseId}/parties/{partyId}/access-code', {
          params: { path: { caseId, partyId: party.partyId } },
          body: {},
          headers: { 'Idempotency-Key': key },
        }),
      ),
    onSuccess: async (answer) => {
      announce(
        answer.accessCode
          ? `已为 ${party.name} 签发新的访问码。访问码只显示这一次。`
          : `访问码此前已签发，不能再次显示。`,
      );
      await queryClient.invalidateQueries({ queryKey: caseKey(caseId) });
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(caseId) });
    },
  });
  const answer = issue.data;

  // Once answered, reading starts at what was answered (the 签发 button it replaces is gone).
  useEffect(() => {
    if (answer) shownRef.current?.focus();
  }, [answer]);

  const close = () => {
    issue.reset();
    onClose();
  };
  const who = `${party.name}（${label(PARTY_ROLE_LABELS, party.role)}）`;
  const verb = reissue ? '重新签发' : '签发';

  return (
    <Modal
      open={open}
      title={`${reissue ? '重新签发访问码' : '签发访问码'}：${party.name}`}
      onCancel={close}
      afterClose={afterClose}
      destroyOnHidden
      maskClosable={false}
      width={720}
      footer={
        answer
          ? [
              <Button key="done" type="primary" onClick={close}>
                完成
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                取消
              </Button>,
              <Button
                key="issue"
                type="primary"
                danger={reissue}
                loading={issue.isPending}
                onClick={() => issue.mutate()}
              >
                {verb}
              </Button>,
            ]
      }
    >
      {answer ? (
        <Issued answer={answer} who={who} headingRef={shownRef} />
      ) : (
        <>
          {reissue ? (
            <Alert
              type="warning"
              showIcon
              title="重新签发后，原访问码立即失效"
              description={`${who}的访问码签发于 ${formatDateTime(party.accessCodeIssuedAt)}。重新签发后，当事人只能用新的访问码登录；请确认当事人遗失了访问码或需要更换。`}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          <Typography.Paragraph>
            将为{who}
            {verb}案件访问码。当事人凭访问码（短信和当事人服务页面中称“查询码”）和发送到其手机的验证码查看本案。
            {party.phone
              ? `访问码将同时以短信发送至 ${party.phone}。`
              : '本案未登记其手机号，不会发送短信，请当面告知或打印交给当事人。'}
          </Typography.Paragraph>
          <Typography.Paragraph>访问码只显示一次，关闭后不能再次查看。本次签发将记入安全日志。</Typography.Paragraph>
          {issue.isError ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={errorText(issue.error, '访问码签发失败，请重试。')}
              description="重试不会重复签发：本窗口内再次点击将沿用同一请求。"
            />
          ) : null}
        </>
      )}
    </Modal>
  );
}

type Answer = { accessCode: string | null; sentTo: string | null };

function Issued({
  answer,
  who,
  headingRef,
}: {
  answer: Answer;
  who: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  if (!answer.accessCode) {
    // A replay of a request the server already answered (its answer was lost on the way): it keeps no code to show.
    return (
      <>
        <h3 ref={headingRef} tabIndex={-1} style={{ fontSize: 16, marginTop: 0 }}>
          访问码已签发，但不能再次显示
        </h3>
        <Alert
          type="warning"
          showIcon
          title="这次签发此前已经完成（上一次的结果未能传回本页面），访问码只显示一次，系统不保存访问码本身，因此无法再次显示。"
          description={
            <>
              {answer.sentTo ? (
                <div>访问码已以短信发送至 {answer.sentTo}，当事人可查看短信。</div>
              ) : (
                <div>未发送短信（本案未登记其手机号）。</div>
              )}
              <div>如当事人未收到或无法取得访问码，请关闭本窗口后为{who}重新签发；原访问码将随之失效。</div>
            </>
          }
        />
      </>
    );
  }
  return (
    <>
      <h3 ref={headingRef} tabIndex={-1} style={{ fontSize: 16, marginTop: 0 }}>
        {who}的访问码
      </h3>
      {/* Large, fixed-width, in groups of four (Crockford base32: no I, L, O or U), to read out or copy down. */}
      <p
        data-testid="access-code"
        style={{
          fontSize: 26,
          fontWeight: 600,
          fontFamily: "'Noto Sans Mono', 'DejaVu Sans Mono', Consolas, monospace",
          letterSpacing: '0.04em',
          lineHeight: 1.4,
          margin: '8px 0 16px',
        }}
      >
        {answer.accessCode}
      </p>
      <Typography.Paragraph>
        {answer.sentTo
          ? `已以短信发送至 ${answer.sentTo}。`
          : '未发送短信：本案未登记其手机号，请当面告知或打印交给当事人。'}
      </Typography.Paragraph>
      <Alert
        type="info"
        showIcon
        title="此访问码只显示这一次，关闭后不能再次查看。"
        description="请当面告知当事人或交其抄录，勿通过其他渠道转发。如遗失，可重新签发，原访问码将随之失效。"
      />
    </>
  );
}
