/**
 * 查询码 on the receipt: the code with which each party (or the guardian acting for a minor or a person
 * without capacity: 民法典 Art 23) signs in to follow the case, with the one-time SMS code sent to the phone on
 * record. Codes are issued once when the receipt of a case just registered opens (after-registration.ts);
 * the API keeps no copy, so each is shown this once, and 重新签发 replaces a lost one (the old stops working).
 * An agent's code is issued only when asked for. The printed receipt carries only its recipient's code.
 */
import { App, Button, Radio } from 'antd';
import type { CaseView } from '../../../api/client';
import { label, PARTY_ROLE_LABELS } from '../../labels';
import { issueCode, type CodeState } from '../after-registration';

type Party = CaseView['parties'][number];
/** Someone who may hold a code: a party, or a guardian or agent acting for one. */
export type CodeHolder = { party: Party; actsFor?: Party; auto: boolean };

const PRINCIPAL_ROLES = new Set(['applicant', 'respondent', 'third_party']);
const who = (p: Party) => `${label(PARTY_ROLE_LABELS, p.role)} ${p.name}`;

/**
 * Who gets a code, in the case's order: each party, or in their place the guardians acting for them (a child
 * or a person without capacity takes part through them); agents too, but only on request.
 */
export function codeHolders(parties: Party[]): CodeHolder[] {
  return parties
    .filter((p) => PRINCIPAL_ROLES.has(p.role))
    .flatMap((p) => {
      const acting = parties.filter((r) => r.representsPartyId === p.partyId);
      const guardians = acting.filter((r) => r.role === 'guardian');
      return [
        ...(guardians.length
          ? guardians.map((g) => ({ party: g, actsFor: p, auto: true }))
          : [{ party: p, auto: true }]),
        ...acting.filter((r) => r.role === 'agent').map((a) => ({ party: a, actsFor: p, auto: false })),
      ];
    });
}

export const holderName = (h: CodeHolder) =>
  h.actsFor ? `${who(h.actsFor)}的${label(PARTY_ROLE_LABELS, h.party.role)} ${h.party.name}` : who(h.party);

function CodeCell({ state }: { state: CodeState | undefined }) {
  switch (state?.status) {
    case 'issuing':
      return <span>正在签发…</span>;
    case 'shown':
      return <code className="receipt-code">{state.code}</code>;
    case 'hidden':
      return <span>已签发（只显示一次，现已不再显示；如遗失，请重新签发）</span>;
    case 'failed':
      return <span role="alert">未能签发：{state.error}</span>;
    default:
      return <span>未签发</span>;
  }
}

const smsText = (state: CodeState | undefined, phone: string | null) => {
  if (state?.status === 'shown' || state?.status === 'hidden')
    return state.sentTo ? `已发短信至 ${state.sentTo}` : '未登记手机号码，未发短信';
  return phone ? `签发后发短信至 ${phone}` : '未登记手机号码';
};

export function AccessCodes({
  caseId,
  holders,
  codes,
  recipient,
  onRecipient,
}: {
  caseId: string;
  holders: CodeHolder[];
  codes: Readonly<Record<string, CodeState>>;
  recipient: string | undefined;
  onRecipient: (partyId: string) => void;
}) {
  const { modal } = App.useApp();
  const reissue = (h: CodeHolder) =>
    modal.confirm({
      title: `重新签发${holderName(h)}的查询码？`,
      content: '重新签发后，原查询码立即失效；新查询码只显示一次，并以短信发送到登记的手机号码。',
      okText: '重新签发',
      cancelText: '取消',
      onOk: () => issueCode(caseId, h.party.partyId),
    });
  return (
    <section aria-labelledby="receipt-codes">
      <h2 id="receipt-codes">查询码</h2>
      <p className="receipt-screen-only receipt-warning">
        查询码只在本页显示这一次，系统不保存，离开本页后不能再查看：请当面交给本人，或打印回执（每份回执只印所选当事人一人的查询码）。如遗失，可重新签发，原查询码随即失效。
      </p>
      <fieldset className="receipt-no-print receipt-recipient">
        <legend>打印的回执交予</legend>
        <Radio.Group
          value={recipient}
          onChange={(e) => onRecipient(e.target.value as string)}
          options={holders.map((h) => ({ value: h.party.partyId, label: holderName(h) }))}
        />
      </fieldset>
      <table className="receipt-table">
        <thead>
          <tr>
            <th scope="col">当事人</th>
            <th scope="col">查询码</th>
            <th scope="col">短信</th>
            <th scope="col" className="receipt-no-print">
              操作
            </th>
          </tr>
        </thead>
        <tbody>
          {holders.map((h) => {
            const state = codes[h.party.partyId];
            const issued = state?.status === 'shown' || state?.status === 'hidden';
            return (
              <tr
                key={h.party.partyId}
                className={h.party.partyId === recipient ? undefined : 'receipt-no-print'}
                data-testid={`access-code-${h.party.partyId}`}
              >
                <th scope="row">{holderName(h)}</th>
                <td>
                  <CodeCell state={state} />
                </td>
                <td>{smsText(state, h.party.phone)}</td>
                <td className="receipt-no-print">
                  {state?.status === 'issuing' ? null : (
                    <Button onClick={() => (issued ? reissue(h) : void issueCode(caseId, h.party.partyId))}>
                      <span>
                        {issued ? '重新签发' : '签发查询码'}
                        <span className="sr-only">：{holderName(h)}</span>
                      </span>
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
