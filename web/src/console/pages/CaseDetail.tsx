/**
 * 案件详情 (/console/cases/:id), loaded on demand: the header with the next deadline and its article, the
 * actions the case offers this person now (GET /cases/:id `actions`, decided by the server's policy and
 * rules, never restated here), and the tabs 当事人, 材料, 期限, 协议 (once there is one), 文书, 时间线, 通知
 * (each in pages/case/, fetching its own list when first opened). A case this person may not see is a 404 from the API and the
 * not-found page here, whether or not it exists.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, idempotencyKey, ok, type CaseAction, type CaseView } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { ACTION_BODIES } from '../../api/vocabulary';
import { ActionError } from '../actions/ActionError';
import { ActionForm, needsForm } from '../actions/ActionForm';
import { announce, PageHeading } from '../a11y';
import { formatDateTime, formatDue, formatFen } from '../format';
import { ACTION_LABELS, CHANNEL_LABELS, DISPUTE_TYPE_LABELS, label, REFUSAL_KIND_LABELS } from '../labels';
import { DeadlinesTab } from './case/DeadlinesTab';
import { DeliveriesTab } from './case/DeliveriesTab';
import { DocumentsTab } from './case/DocumentsTab';
import { AgreementTab } from './case/AgreementTab';
import { ArchiveDialog } from './case/ArchiveDialog';
import { caseKey, deadlinesKey, deliveriesKey, documentsKey, materialsKey } from './case/keys';
import { MaterialsTab } from './case/MaterialsTab';
import { PartiesTab } from './case/PartiesTab';
import { TimelineTab } from './case/TimelineTab';
import { NotFoundPage } from './NotFoundPage';

export default function CaseDetail() {
  const { caseId = '' } = useParams();
  const view = useQuery({
    queryKey: caseKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}', { params: { path: { caseId } } })),
  });

  if (view.isError && view.error instanceof ApiError && view.error.status === 404) return <NotFoundPage what="案件" />;
  if (view.isError) {
    return (
      <>
        <PageHeading title="案件详情" />
        <Alert
          type="error"
          showIcon
          role="alert"
          title={errorText(view.error, '案件加载失败，请重试。')}
          action={<Button onClick={() => void view.refetch()}>重试</Button>}
        />
      </>
    );
  }
  if (!view.data)
    return (
      <Spin tip="正在加载案件…">
        <div style={{ minHeight: 200 }} />
      </Spin>
    );
  return <CaseScreen view={view.data} />;
}

/** The tabs a link may open (`?tab=deliveries` from 投递失败); any other opens 当事人. */
const TABS = ['parties', 'materials', 'deadlines', 'agreement', 'documents', 'timeline', 'deliveries'];

function CaseScreen({ view }: { view: CaseView }) {
  const [search] = useSearchParams();
  const [tab, setTab] = useState(() => {
    const asked = search.get('tab') ?? '';
    return TABS.includes(asked) && (asked !== 'agreement' || view.agreement) ? asked : 'parties';
  });
  // Bumped by 上传材料 among the actions: the 材料 tab opens and its upload form takes focus.
  const [uploadAsked, setUploadAsked] = useState(0);
  const openUpload = () => {
    setTab('materials');
    setUploadAsked((n) => n + 1);
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/">工作台</Link> }, { title: view.caseNumber }]} />
      <CaseHeader view={view} onUpload={openUpload} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'parties', label: '当事人', children: <PartiesTab caseId={view.caseId} parties={view.parties} /> },
            { key: 'materials', label: '材料', children: <MaterialsTab view={view} focusUpload={uploadAsked} /> },
            { key: 'deadlines', label: '期限', children: <DeadlinesTab caseId={view.caseId} /> },
            ...(view.agreement ? [{ key: 'agreement', label: '协议', children: <AgreementTab view={view} /> }] : []),
            { key: 'documents', label: '文书', children: <DocumentsTab caseId={view.caseId} /> },
            { key: 'timeline', label: '时间线', children: <TimelineTab events={view.events} /> },
            {
              key: 'deliveries',
              label: '通知',
              children: <DeliveriesTab caseId={view.caseId} parties={view.parties} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The open deadline that falls first, from the case's own state. */
function nextDeadline(view: CaseView) {
  return (view.deadlines ?? [])
    .filter((d) => d.status === 'open' && d.dueAt)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

function CaseHeader({ view, onUpload }: { view: CaseView; onUpload(): void }) {
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
      <Actions view={view} onUpload={onUpload} />
    </Card>
  );
}

/**
 * The actions the case offers. Allowed ones are buttons. Of the refused ones, those refused only because the
 * case is not at that step are left out (they are most of them, and noise); those a rule or the policy
 * refuses are listed as text with the reason and article, not as disabled buttons: a disabled button cannot
 * take focus, so its tooltip is out of reach of the keyboard and of screen readers.
 */
function Actions({ view, onUpload }: { view: CaseView; onUpload(): void }) {
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
                // A file is sent as it is, not as a form's JSON: the 材料 tab takes it.
                if (a.path === 'materials') onUpload();
                else if (isSimple(a) || needsForm(a)) setOpen(a);
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
      {/* 结案归档 first shows the case's file to check (ArchiveDialog), not only a confirmation. */}
      {open?.path === 'archive' ? (
        <ArchiveDialog view={view} onClose={() => setOpen(null)} />
      ) : open && isSimple(open) ? (
        <ConfirmAction view={view} action={open} onClose={() => setOpen(null)} />
      ) : null}
      {open && !isSimple(open) ? <ActionForm view={view} action={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

/** An action whose body is empty or only an optional note, and that names no party: a confirmation is enough. */
function isSimple(a: CaseAction): boolean {
  const body = (ACTION_BODIES as Record<string, { fields: readonly string[]; required: readonly string[] }>)[a.path];
  return (
    !!body &&
    body.required.length === 0 &&
    body.fields.every((f) => f === 'note') &&
    !a.forParty &&
    !a.needsInput?.length
  );
}

function ConfirmAction({ view, action, onClose }: { view: CaseView; action: CaseAction; onClose(): void }) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // One key for this dialog: pressing 确定 again after a lost answer has exactly one effect.
  const [key] = useState(idempotencyKey);
  const [note, setNote] = useState('');
  const name = label(ACTION_LABELS, action.path);
  const takesNote =
    (ACTION_BODIES as Record<string, { fields: readonly string[] }>)[action.path]?.fields.includes('note') ?? false;
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
      await queryClient.invalidateQueries({ queryKey: deadlinesKey(view.caseId) });
      await queryClient.invalidateQueries({ queryKey: documentsKey(view.caseId) });
      await queryClient.invalidateQueries({ queryKey: materialsKey(view.caseId) });
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(view.caseId) });
      // The answer's events may not yet hold this action's own (the record is written just after): read again shortly.
      window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: caseKey(view.caseId) }), 1500);
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
            <Input.TextArea
              id="action-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={2000}
              rows={3}
            />
          </Form.Item>
        </Form>
      ) : null}
      {send.isError ? <ActionError error={send.error} /> : null}
    </Modal>
  );
}
