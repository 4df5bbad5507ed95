/**
 * 已保存的筛选, kept on the server per person (GET/POST /me/saved-filters, PUT and DELETE
 * /me/saved-filters/{id}): save the queue's current filters under a name, apply one, rename or delete it.
 * A saved filter is the queue's own query in the URL's strings; the search text is never kept (it may be a
 * party's name).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { announce } from '../../a11y';
import { CASE_STATUS_LABELS, DISPUTE_TYPE_LABELS, label, PRIORITY_GROUP_LABELS } from '../../labels';
import { dueChoice, DUE_CHOICES, readFilters, savable, writeFilters, type Filters } from './filters';

type Saved = { filterId: string; name: string; filter: Record<string, string> };
const savedKey = ['saved-filters'] as const;
const NAME_MAX = 50;

/** The filters in words, for the save dialog and each saved filter's description. */
export function describeFilters(f: Filters): string {
  const parts = [
    f.status.length ? `状态：${f.status.map((s) => label(CASE_STATUS_LABELS, s)).join('、')}` : '',
    f.disputeType ? `纠纷类型：${label(DISPUTE_TYPE_LABELS, f.disputeType)}` : '',
    f.priorityGroup ? `优先服务：${label(PRIORITY_GROUP_LABELS, f.priorityGroup)}` : '',
    f.legalAid !== undefined ? (f.legalAid ? '已申请法律援助' : '未申请法律援助') : '',
    dueChoice(f) ? `期限：${DUE_CHOICES.find((c) => c.value === dueChoice(f))?.label ?? '自定义'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '全部案件（无筛选条件）';
}

const normalized = (filter: Record<string, string>) =>
  writeFilters(readFilters(new URLSearchParams(filter))).toString();

export function SavedFilters({ filters, onApply }: { filters: Filters; onApply(next: Filters): void }) {
  const queryClient = useQueryClient();
  const { modal, message } = App.useApp();
  const list = useQuery({ queryKey: savedKey, queryFn: () => ok(api.GET('/me/saved-filters')) });
  const [dialog, setDialog] = useState<{ mode: 'save' } | { mode: 'rename'; saved: Saved } | null>(null);
  const current = normalized(savable(filters));

  const remove = useMutation({
    mutationFn: (saved: Saved) =>
      ok(api.DELETE('/me/saved-filters/{filterId}', { params: { path: { filterId: saved.filterId } } })),
    onSuccess: async (_answer, saved) => {
      message.success(`已删除筛选：${saved.name}`);
      announce(`已删除筛选：${saved.name}`);
      await queryClient.invalidateQueries({ queryKey: savedKey });
    },
  });
  const confirmDelete = (saved: Saved) =>
    modal.confirm({
      title: `删除筛选“${saved.name}”？`,
      content: '删除后不能恢复；队列本身不受影响。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => remove.mutateAsync(saved),
    });

  const filtersSaved = list.data?.filters ?? [];
  return (
    <section aria-labelledby="saved-filters-heading" className="panel">
      <div className="panel-heading">
        <h2 id="saved-filters-heading">已保存的筛选</h2>
        <Button onClick={() => setDialog({ mode: 'save' })}>保存当前筛选</Button>
      </div>
      {list.isError ? (
        <Alert type="error" showIcon role="alert" title={errorText(list.error, '已保存的筛选加载失败，请重试。')} />
      ) : null}
      {remove.isError ? (
        <Alert type="error" showIcon role="alert" title={errorText(remove.error, '删除失败，请重试。')} />
      ) : null}
      {list.isSuccess && filtersSaved.length === 0 ? (
        <Typography.Text type="secondary">还没有保存的筛选：设好队列的筛选条件后，点“保存当前筛选”。</Typography.Text>
      ) : null}
      {filtersSaved.length ? (
        <ul className="saved-filters">
          {filtersSaved.map((saved) => {
            const active = normalized(saved.filter) === current;
            return (
              <li key={saved.filterId}>
                <Button
                  type={active ? 'primary' : 'default'}
                  aria-pressed={active}
                  onClick={() => onApply(readFilters(new URLSearchParams(saved.filter)))}
                >
                  {saved.name}
                </Button>
                <Typography.Text type="secondary">
                  {describeFilters(readFilters(new URLSearchParams(saved.filter)))}
                </Typography.Text>
                <Button
                  type="link"
                  aria-label={`重命名筛选“${saved.name}”`}
                  onClick={() => setDialog({ mode: 'rename', saved })}
                >
                  重命名
                </Button>
                <Button type="link" danger aria-label={`删除筛选“${saved.name}”`} onClick={() => confirmDelete(saved)}>
                  删除
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {dialog ? <NameDialog dialog={dialog} filters={filters} onClose={() => setDialog(null)} /> : null}
    </section>
  );
}

/** Asks for a name: to save the current filters, or to rename a saved filter. */
function NameDialog({
  dialog,
  filters,
  onClose,
}: {
  dialog: { mode: 'save' } | { mode: 'rename'; saved: Saved };
  filters: Filters;
  onClose(): void;
}) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [name, setName] = useState(dialog.mode === 'rename' ? dialog.saved.name : '');
  const [problem, setProblem] = useState<string | null>(null);
  // One key for this dialog: 保存 pressed again after a lost answer saves once.
  const [key] = useState(idempotencyKey);
  const send = useMutation({
    mutationFn: (trimmed: string) =>
      dialog.mode === 'save'
        ? ok(
            api.POST('/me/saved-filters', {
              body: { name: trimmed, filter: savable(filters) },
              headers: { 'Idempotency-Key': key },
            }),
          )
        : ok(
            api.PUT('/me/saved-filters/{filterId}', {
              params: { path: { filterId: dialog.saved.filterId } },
              body: { name: trimmed },
            }),
          ),
    onSuccess: async (saved) => {
      const done = dialog.mode === 'save' ? `已保存筛选：${saved.name}` : `已重命名为：${saved.name}`;
      message.success(done);
      announce(done);
      await queryClient.invalidateQueries({ queryKey: savedKey });
      onClose();
    },
  });
  const submit = () => {
    const trimmed = name.trim();
    if (!trimmed) return setProblem('请填写筛选名称。');
    if (trimmed.length > NAME_MAX) return setProblem(`筛选名称不能超过 ${NAME_MAX} 个字。`);
    setProblem(null);
    send.mutate(trimmed);
  };
  const title = dialog.mode === 'save' ? '保存当前筛选' : `重命名筛选“${dialog.saved.name}”`;
  return (
    <Modal
      open
      title={title}
      okText="保存"
      cancelText="取消"
      confirmLoading={send.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {dialog.mode === 'save' ? (
        <Typography.Paragraph>
          条件：{describeFilters(filters)}。{filters.q ? '搜索内容不会保存。' : ''}
        </Typography.Paragraph>
      ) : null}
      <Form layout="vertical" colon={false}>
        <Form.Item
          label="筛选名称"
          htmlFor="saved-filter-name"
          required
          validateStatus={problem ? 'error' : undefined}
          help={
            problem ? (
              <span id="saved-filter-name-problem" role="alert">
                {problem}
              </span>
            ) : undefined
          }
        >
          <Input
            id="saved-filter-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={NAME_MAX}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'saved-filter-name-problem' : undefined}
            onPressEnter={submit}
          />
        </Form.Item>
      </Form>
      {send.isError ? (
        <Alert type="error" showIcon role="alert" title={errorText(send.error, '保存失败，请重试。')} />
      ) : null}
    </Modal>
  );
}
