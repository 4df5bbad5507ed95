/**
 * 当事人: the parties as the API shows them, masked. "查看完整信息" is offered for each party the server says this
 * person may read in full (`mayRevealPersonalData`, decided by the same policy as the personal-data route); it
 * asks for the reason and shows the data in a dialog (RevealDialog). "签发访问码" (or "重新签发" once the party has
 * one) likewise for each party the server says this person may issue a code to (`mayIssueAccessCode`, the access-code
 * route's own check): a dialog confirms, then shows the code once (AccessCodeDialog).
 */
import { Button, Table, Typography } from 'antd';
import { useState } from 'react';
import type { CaseView } from '../../../api/client';
import { formatDateTime } from '../../format';
import { label, PARTY_ROLE_LABELS } from '../../labels';
import { AccessCodeDialog, accessCodeAction } from './AccessCodeDialog';
import { RevealDialog } from './RevealDialog';

type Party = CaseView['parties'][number];

export function PartiesTab({ caseId, parties }: { caseId: string; parties: Party[] }) {
  const byId = new Map(parties.map((p) => [p.partyId, p]));
  // The party whose dialog is mounted, and whether it is open: closing lets the dialog animate out and hand
  // focus back to its button before it unmounts, taking the data it showed with it.
  const [revealing, setRevealing] = useState<Party | null>(null);
  const [open, setOpen] = useState(false);
  // Likewise the party whose access-code dialog is mounted (its code leaves with it).
  const [issuing, setIssuing] = useState<Party | null>(null);
  const [issueOpen, setIssueOpen] = useState(false);
  const anyRevealable = parties.some((p) => p.mayRevealPersonalData);
  const anyIssuable = parties.some((p) => p.mayIssueAccessCode);
  return (
    <>
      <Typography.Paragraph type="secondary">
        证件号码、联系电话和地址已脱敏显示。
        {anyRevealable ? '确需完整信息时，请点“查看完整信息”并说明事由；每次查阅都会记录。' : ''}
      </Typography.Paragraph>
      <Table<Party>
        rowKey="partyId"
        pagination={false}
        dataSource={parties}
        columns={[
          {
            title: '身份',
            key: 'role',
            render: (_v, p) => {
              const represented = p.representsPartyId ? byId.get(p.representsPartyId) : undefined;
              return `${label(PARTY_ROLE_LABELS, p.role)}${represented ? `（代 ${represented.name}）` : ''}`;
            },
          },
          { title: '姓名或名称', dataIndex: 'name' },
          { title: '类型', key: 'kind', render: (_v, p) => (p.kind === 'legal' ? '法人或其他组织' : '自然人') },
          { title: '证件号码', key: 'id', render: (_v, p) => p.idNumber ?? p.creditCode ?? '—' },
          { title: '联系电话', key: 'phone', render: (_v, p) => p.phone ?? '—' },
          { title: '地址', key: 'address', render: (_v, p) => p.address ?? '—' },
          ...(anyRevealable
            ? [
                {
                  title: '完整信息',
                  key: 'reveal',
                  render: (_v: unknown, p: Party) =>
                    p.mayRevealPersonalData ? (
                      // The visible words start the accessible name (WCAG 2.5.3); the party's name tells the rows apart.
                      <Button
                        type="link"
                        aria-label={`查看完整信息：${p.name}`}
                        onClick={() => {
                          setRevealing(p);
                          setOpen(true);
                        }}
                      >
                        查看完整信息
                      </Button>
                    ) : null,
                },
              ]
            : []),
          ...(anyIssuable
            ? [
                {
                  title: '访问码',
                  key: 'accessCode',
                  render: (_v: unknown, p: Party) =>
                    p.mayIssueAccessCode ? (
                      <>
                        <Typography.Text type="secondary">
                          {p.accessCodeIssuedAt ? `${formatDateTime(p.accessCodeIssuedAt)} 已签发` : '未签发'}
                        </Typography.Text>
                        <br />
                        <Button
                          type="link"
                          style={{ paddingInline: 0 }}
                          aria-label={`${p.accessCodeIssuedAt ? '重新签发访问码' : '签发访问码'}：${p.name}`}
                          onClick={() => {
                            setIssuing(p);
                            setIssueOpen(true);
                          }}
                        >
                          {accessCodeAction(p)}
                        </Button>
                      </>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {issuing ? (
        <AccessCodeDialog
          caseId={caseId}
          party={issuing}
          open={issueOpen}
          onClose={() => setIssueOpen(false)}
          afterClose={() => setIssuing(null)}
        />
      ) : null}
      {revealing ? (
        <RevealDialog
          caseId={caseId}
          party={revealing}
          open={open}
          onClose={() => setOpen(false)}
          afterClose={() => setRevealing(null)}
        />
      ) : null}
    </>
  );
}
