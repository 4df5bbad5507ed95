/**
 * 案件详情 (/console/cases/:id), loaded on demand: the header with the next deadline and its article, the
 * actions the case offers this person now (GET /cases/:id `actions`, decided by the server's policy and
 * rules, never restated here), and the tabs 当事人, 期限, 文书, 时间线. A case this person may not see is
 * a 404 from the API and the not-found page here, whether or not it exists.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Spin, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, idempotencyKey, ok, type CaseAction, type CaseView, type DeadlineRow, type DocumentRow } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { ACTION_BODIES } from '../../api/vocabulary';
import { ActionError } from '../actions/ActionError';
import { ActionForm, needsForm } from '../actions/ActionForm';
import { announce, PageHeading } from '../a11y';
import { formatDateTime, formatDue, formatFen } from '../format';
import { ACTION_LABELS, CHANNEL_LABELS, DEADLINE_RULES, DEADLINE_STATUS_LABELS, DISPUTE_TYPE_LABELS, DOCUMENT_LABELS, EVENT_LABELS, label, PARTY_ROLE_LABELS, REFUSAL_KIND_LABELS, ROLE_LABELS } from '../labels';
import { NotFoundPage } from './NotFoundPage';

type Party = CaseView['parties'][number];
type CaseEvent = CaseView['events'][number];

const caseKey = (caseId: string) => ['case', caseId] as const;

export default function CaseDetail() {
  const { caseId = '' } = useParams();
  const view = useQuery({ queryKey: caseKey(caseId), queryFn: () => ok(api.GET('/cases/{caseId}', { params: { path: { caseId } } })) });

  if (view.isError && view.error instanceof ApiError && view.error.status === 404) return <NotFoundPage what="案件" />;
  if (view.isError) {
    return (
      <>
        <PageHeading title="案件详情" />
        <Alert type="error" showIcon role="alert" title={errorText(view.error, '案件加载失败，请重试。')} action={<Button onClick={() => void view.refetch()}>重试</Button>} />
      </>
    );
  }
  if (!view.data) return <Spin tip="正在加载案件…"><div style={{ minHeight: 200 }} /></Spin>;
  return <CaseScreen view={view.data} />;
}

function CaseScreen({ view }: { view: CaseView }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/">工作台</Link> }, { title: view.caseNumber }]} />
      <CaseHeader view={view} />
      <Card>
        <Tabs
          items={[
            { key: 'parties', label: '当事人', children: <PartiesTab parties={view.parties} /> },
            { key: 'deadlines', label: '期限', children: <DeadlinesTab caseId={view.caseId} /> },
            { key: 'documents', label: '文书', children: <DocumentsTab caseId={view.caseId} /> },
            { key: 'timeline', label: '时间线', children: <TimelineTab events={view.events} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The open deadline that falls first, from the case's own state. */
function nextDeadline(view: CaseView) {
  return (view.deadlines ?? []).filter((d) => d.status === 'open' && d.dueAt).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

function CaseHeader({ view }: { view: CaseView }) {
  const next = nextDeadline(view);
  return (
    <Card>
      <PageHeading title={`案件 ${view.caseNumber}`}>
        {view.caseNumber}{' '}
        <Tag color="blue" style={{ verticalAlign: 'middle', fontSize: 14 }} data-testid="case-status">
          {view.statusLabel}
        </Tag>
      </PageHeading>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'type', label: '纠纷类型', children: label(DISPUTE_TYPE_LABELS, view.disputeType) },
          { key: 'channel', label: '收案方式', children: label(CHANNEL_LABELS, view.channel) },
          { key: 'received', label: '收案时间', children: formatDateTime(view.receivedAt) },
          { key: 'amount', label: '标的额', children: formatFen(view.claimAmountFen) },
          {
            key: 'next',
            label: '下一期限',
            span: 'filled',
            children: next ? (
              <span>
                {next.label}：{formatDue(next.dueAt)} 届满
                <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                  依据：{next.citation}
                </Typography.Text>
                {next.provisional ? <Tag style={{ marginInlineStart: 8 }}>暂按法定节假日计算</Tag> : null}
              </span>
            ) : (
              '无计时中的期限'
            ),
          },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>{view.summary}</Typography.Paragraph>
      <Actions view={view} />
    </Card>
  );
}

/**
 * The actions the case offers. Allowed ones are buttons. Of the refused ones, those refused only because the
 * case is not at that step are left out (they are most of them, and noise); those a rule or the policy
 * refuses are listed as text with the reason and article, not as disabled buttons: a disabled button cannot
 * take focus, so its tooltip is out of reach of the keyboard and of screen readers.
 */
function Actions({ view }: { view: CaseView }) {
  const [open, setOpen] = useState<CaseAction | null>(null);
  const { modal } = App.useApp();
  const actions = view.actions ?? [];
  const allowed = actions.filter((a) => a.allowed);
  const refused = actions.filter((a) => !a.allowed && a.refusal && a.refusal.kind !== 'wrong_state');
  if (!view.actions) {
    return (
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        案件记录正在更新，稍后刷新即可办理。
      </Typography.Paragraph>
    );
  }
  return (
    <section aria-labelledby="actions-heading" style={{ marginTop: 16 }}>
      <h2 id="actions-heading" style={{ fontSize: 16 }}>
        可办理的操作
      </h2>
      {allowed.length ? (
        <Space wrap>
          {/* All alike: the list says what is possible, not which step comes next. */}
          {allowed.map((a) => (
            <Button
              key={a.path}
              onClick={() => {
                if (isSimple(a) || needsForm(a)) setOpen(a);
                else
                  modal.info({
                    title: `${label(ACTION_LABELS, a.path)}：在 API 中完成`,
                    content: `此操作需要填写更多信息，控制台暂未提供它的表单。请通过 API 办理：POST /cases/${view.caseId}/${a.path}`,
                    okText: '知道了',
                  });
              }}
            >
              {label(ACTION_LABELS, a.path)}
            </Button>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">您现在没有可对本案办理的操作。</Typography.Text>
      )}
      {refused.length ? (
        <>
          <h3 style={{ fontSize: 14, marginTop: 16 }}>暂不能办理</h3>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {refused.map((a) => (
              <li key={a.path}>
                {label(ACTION_LABELS, a.path)}：{label(REFUSAL_KIND_LABELS, a.refusal!.kind)}
                {a.refusal!.article ? `（依据：${a.refusal!.article}）` : ''}
                <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                  {a.refusal!.message}
                </Typography.Text>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {open && isSimple(open) ? <ConfirmAction view={view} action={open} onClose={() => setOpen(null)} /> : null}
      {open && !isSimple(open) ? <ActionForm view={view} action={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

/** An action whose body is empty or only an optional note, and that names no party: a confirmation is enough. */
function isSimple(a: CaseAction): boolean {
  const body = (ACTION_BODIES as Record<string, { fields: readonly string[]; required: readonly string[] }>)[a.path];
  return !!body && body.required.length === 0 && body.fields.every((f) => f === 'note') && !a.forParty && !a.needsInput?.length;
}

function ConfirmAction({ view, action, onClose }: { view: CaseView; action: CaseAction; onClose(): void }) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // One key for this dialog: pressing 确定 again after a lost answer has exactly one effect.
  const [key] = useState(idempotencyKey);
  const [note, setNote] = useState('');
  const name = label(ACTION_LABELS, action.path);
  const takesNote = (ACTION_BODIES as Record<string, { fields: readonly string[] }>)[action.path]?.fields.includes('note') ?? false;
  const send = useMutation({
    mutationFn: () =>
      ok(
        // The path comes from the case's own action list; the body is one every such action takes ({} or a note).
        api.POST(`/cases/{caseId}/${action.path}` as '/cases/{caseId}/accept', {
          params: { path: { caseId: view.caseId } },
          body: note.trim() ? { note: note.trim() } : {},
          headers: { 'Idempotency-Key': key },
        }),
      ),
    onSuccess: async (answer) => {
      // The answer is the case as it is now (the process's own snapshot): show it at once, then re-read the rest.
      if (answer && 'caseNumber' in answer) queryClient.setQueryData(caseKey(view.caseId), answer);
      onClose();
      message.success(`已办理：${name}`);
      announce(`已办理：${name}。案件状态：${answer && 'statusLabel' in answer ? answer.statusLabel : ''}`);
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      await queryClient.invalidateQueries({ queryKey: ['queue-count'] });
      await queryClient.invalidateQueries({ queryKey: ['deadlines', view.caseId] });
      await queryClient.invalidateQueries({ queryKey: ['documents', view.caseId] });
      if (!answer || !('actions' in answer) || !answer.actions) window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: caseKey(view.caseId) }), 1500);
    },
  });
  return (
    <Modal
      open
      title={`确认办理：${name}`}
      okText="确定"
      cancelText="取消"
      confirmLoading={send.isPending}
      onOk={() => send.mutate()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        将对案件 {view.caseNumber} 办理「{name}」。办理后将记入案件时间线，不能撤销。
      </Typography.Paragraph>
      {/* A fixed height: antd's autoSize measures with a hidden textarea styled by a style attribute, which the CSP refuses. */}
      {takesNote ? (
        <Form layout="vertical" colon={false}>
          <Form.Item label="备注（可选）" htmlFor="action-note">
            <Input.TextArea id="action-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} />
          </Form.Item>
        </Form>
      ) : null}
      {send.isError ? <ActionError error={send.error} /> : null}
    </Modal>
  );
}


// Tabs ----------------------------------------------------------------------------------------------------

function PartiesTab({ parties }: { parties: Party[] }) {
  const byId = new Map(parties.map((p) => [p.partyId, p]));
  return (
    <>
      <Typography.Paragraph type="secondary">证件号码、联系电话和地址已脱敏显示。</Typography.Paragraph>
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
        ]}
      />
    </>
  );
}

const UNIT_LABELS: Record<string, string> = { calendar_days: '日', working_days: '个工作日', years: '年' };

function DeadlinesTab({ caseId }: { caseId: string }) {
  const deadlines = useQuery({ queryKey: ['deadlines', caseId], queryFn: () => ok(api.GET('/cases/{caseId}/deadlines', { params: { path: { caseId } } })) });
  if (deadlines.isError) return <Alert type="error" showIcon role="alert" title={errorText(deadlines.error, '期限加载失败，请重试。')} />;
  if (!deadlines.data) return <Spin tip="正在加载期限…"><div style={{ minHeight: 80 }} /></Spin>;
  if (!deadlines.data.deadlines.length) return <Empty description="本案暂无期限" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {deadlines.data.deadlines.map((d: DeadlineRow) => (
        <Card
          key={`${d.ruleId}-${d.startedAt}`}
          size="small"
          title={
            <h3 style={{ margin: 0, fontSize: 15 }}>
              {d.label} <Tag color={d.status === 'open' ? 'processing' : d.status === 'expired' ? 'error' : 'default'}>{label(DEADLINE_STATUS_LABELS, d.status)}</Tag>
            </h3>
          }
        >
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'start', label: '起算', children: formatDateTime(d.startedAt) },
              { key: 'due', label: '届满', children: d.dueAt ? formatDue(d.dueAt) : '无法计算' },
              { key: 'length', label: '期间', children: `${d.rule.length} ${label(UNIT_LABELS, d.rule.unit)}` },
              { key: 'citation', label: '依据', children: d.rule.citation },
              ...(d.calendarVersion ? [{ key: 'calendar', label: '节假日日历', children: `${d.calendarVersion}${d.provisional ? '（暂按法定节假日计算）' : ''}` }] : []),
            ]}
          />
          {d.explanation.length ? (
            <>
              <Typography.Text strong>计算过程</Typography.Text>
              <ol className="explanation">
                {d.explanation.map((step, i) => (
                  <li key={i}>{step}</li>
                ))}
              </ol>
            </>
          ) : null}
        </Card>
      ))}
    </Space>
  );
}

function DocumentsTab({ caseId }: { caseId: string }) {
  const docs = useQuery({ queryKey: ['documents', caseId], queryFn: () => ok(api.GET('/cases/{caseId}/documents', { params: { path: { caseId } } })) });
  const [failure, setFailure] = useState<string | null>(null);
  if (docs.isError) return <Alert type="error" showIcon role="alert" title={errorText(docs.error, '文书加载失败，请重试。')} />;
  if (!docs.data) return <Spin tip="正在加载文书…"><div style={{ minHeight: 80 }} /></Spin>;
  const download = async (d: DocumentRow) => {
    setFailure(null);
    try {
      // The download needs the session's token, so it is fetched and handed to the browser as a file.
      const blob = await ok(api.GET('/cases/{caseId}/documents/{documentId}', { params: { path: { caseId, documentId: d.documentId } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${d.title}-第${d.docVersion}版.pdf`;
      a.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setFailure(errorText(e, '下载失败，请重试。'));
    }
  };
  return (
    <>
      {failure ? <Alert type="error" showIcon role="alert" title={failure} style={{ marginBottom: 12 }} /> : null}
      <Table<DocumentRow>
        rowKey="documentId"
        pagination={false}
        dataSource={docs.data.documents}
        locale={{ emptyText: '本案暂无文书' }}
        columns={[
          { title: '文书', dataIndex: 'title' },
          { title: '版本', key: 'version', render: (_v, d) => `第 ${d.docVersion} 版` },
          { title: '生成时间', key: 'created', render: (_v, d) => formatDateTime(d.createdAt) },
          { title: '核验码', dataIndex: 'verificationCode' },
          {
            title: '下载',
            key: 'download',
            render: (_v, d) => (
              <Button type="link" onClick={() => void download(d)} aria-label={`下载 ${d.title} 第 ${d.docVersion} 版（PDF）`}>
                下载 PDF
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

/** A line about the event from its payload, where it names something a clerk recognises. */
function eventDetail(e: CaseEvent): string | null {
  const p = e.payload as Record<string, unknown>;
  if (typeof p.ruleId === 'string' && p.ruleId in DEADLINE_RULES) return DEADLINE_RULES[p.ruleId as keyof typeof DEADLINE_RULES].label;
  if (typeof p.document === 'string') return `${label(DOCUMENT_LABELS, p.document)}${typeof p.version === 'number' ? `（第 ${p.version} 版）` : ''}`;
  if (typeof p.title === 'string') return p.title;
  if (typeof p.note === 'string' && p.note) return `备注：${p.note}`;
  return null;
}

function TimelineTab({ events }: { events: CaseEvent[] }) {
  const ordered = useMemo(() => [...events].sort((a, b) => a.seq - b.seq), [events]);
  if (!ordered.length) return <Empty description="暂无记录" />;
  return (
    <Timeline
      items={ordered.map((e) => {
        const detail = eventDetail(e);
        return {
          key: e.seq,
          content: (
            <div>
              <Typography.Text strong>{label(EVENT_LABELS, e.type)}</Typography.Text>
              {detail ? <div>{detail}</div> : null}
              <div>
                <Typography.Text type="secondary">
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {label(ROLE_LABELS, e.actorRole)}
                </Typography.Text>
              </div>
            </div>
          ),
        };
      })}
    />
  );
}
