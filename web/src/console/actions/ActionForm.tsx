/**
 * The form for one case action, built from its request body as the API parses it (the descriptors generated
 * from api/schemas.ts into api/action-forms.ts), so the console restates neither the fields nor their bounds.
 * The server decides the rest: a 400 shows at the fields it names, a 422 with its rule and article; nothing
 * typed is lost. One Idempotency-Key per intent: sending the same body again (after a lost answer) reuses it,
 * a corrected body is a new request and gets a new key (the server keeps each key's first body and answer).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Typography,
  type FormInstance,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useMemo, useState, type ReactNode } from 'react';
import { ACTION_FORMS, type FieldDescriptor } from '../../api/action-forms';
import { api, idempotencyKey, ok, type CaseAction, type CaseView } from '../../api/client';
import { ApiError } from '../../api/problems';
import { announce } from '../a11y';
import { ACTION_LABELS, label, PARTY_ROLE_LABELS } from '../labels';
import { fieldLabel, valueLabel } from './labels';
import { ActionError } from './ActionError';
import { CourtSelect, MaterialSelect, MediatorSelect, referenceOf } from './ReferenceSelect';
import {
  ClausePicker,
  contentToValues,
  DRAFTING_ACTIONS,
  DraftingNotes,
  draftsKey,
  useDrafts,
  type AgreementDraft,
} from './agreement';
import './action-form.css';

dayjs.locale('zh-cn');

type Values = Record<string, unknown>;
type NamePath = (string | number)[];

/** Whether an action takes more than a confirmation: a body with fields besides an optional note, or a party to name. */
export function needsForm(a: CaseAction): boolean {
  const fields = ACTION_FORMS[a.path];
  if (!fields) return false;
  return !!a.forParty || !!a.needsInput?.length || fields.some((f) => f.name !== 'note' || f.required);
}

/** The amount fields are in fen in the API and in yuan on the screen. */
const isFen = (f: FieldDescriptor) => f.name.endsWith('Fen');
const isPartyField = (f: FieldDescriptor, forField?: string) => f.name === forField || /PartyIds?$/.test(f.name);

/** A picked date and time is China time whatever the browser's zone: sent with +08:00. */
const chinaDateTime = (d: Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;

/** The body from the form's values: strings trimmed, empty ones left out, dates as ISO strings, yuan as fen. */
function toBody(fields: readonly FieldDescriptor[], values: Values, included: Set<string>, prefix = ''): Values {
  const body: Values = {};
  for (const f of fields) {
    const v = values[f.name];
    const key = `${prefix}${f.name}`;
    let out: unknown;
    switch (f.kind) {
      case 'text':
      case 'textarea':
        out = typeof v === 'string' && v.trim() ? v.trim() : undefined;
        break;
      case 'integer':
      case 'number':
        out = typeof v === 'number' ? (isFen(f) ? Math.round(v * 100) : v) : undefined;
        break;
      case 'date':
        out = dayjs.isDayjs(v) ? v.format('YYYY-MM-DD') : undefined;
        break;
      case 'datetime':
        out = dayjs.isDayjs(v) ? chinaDateTime(v) : undefined;
        break;
      case 'array-of-text':
        out =
          typeof v === 'string'
            ? v
                .split('\n')
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined;
        if (Array.isArray(out) && !out.length && !f.required) out = undefined;
        break;
      case 'array-of-enum':
      case 'array-of-uuid':
        out = Array.isArray(v) && (v.length || f.required) ? v : f.required ? [] : undefined;
        break;
      case 'object':
        out =
          f.required || included.has(key)
            ? toBody(f.fields ?? [], (v as Values | undefined) ?? {}, included, `${key}.`)
            : undefined;
        break;
      case 'array-of-object':
        out = Array.isArray(v)
          ? v.map((item: Values | undefined) => toBody(f.fields ?? [], item ?? {}, included, `${key}.`))
          : undefined;
        break;
      default:
        out = v === null || v === '' ? undefined : v;
    }
    if (out !== undefined) body[f.name] = out;
  }
  return body;
}

/** `content.terms[0].text` as the form's name path. */
const namePath = (field: string): NamePath =>
  field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** The server's field messages (English, for operators) in Chinese where they are the usual ones. */
function fieldMessage(message: string): string {
  const max = /at most (\d+) characters/.exec(message);
  if (max) return `不能超过 ${max[1]} 个字`;
  if (/must not be empty/.test(message)) return '不能为空';
  if (/is required/.test(message)) return '按当前所选，此项必填';
  if (/expected number|whole number/.test(message)) return '请填写整数';
  return `填写有误（${message}）`;
}

type Ctx = {
  path: string;
  action: CaseAction;
  view: CaseView;
  needs: Set<string>;
  included: Set<string>;
  toggle(key: string, on: boolean): void;
  form: FormInstance;
};

function partyLabel(view: CaseView, id: string, also?: FieldDescriptor['alsoOptions'], name = ''): string {
  const p = view.parties.find((x) => x.partyId === id);
  if (p) return `${label(PARTY_ROLE_LABELS, p.role)} ${p.name}`;
  const o = also?.find((x) => x.value === id);
  return o ? valueLabel(name, o.value, o.label, name) : id;
}

function partyOptions(f: FieldDescriptor, ctx: Ctx) {
  // The named field: only those the action is possible for now; any other party field: the case's parties.
  const ids =
    f.name === ctx.action.forParty?.field
      ? ctx.action.forParty.possibleFor
      : [...ctx.view.parties.map((p) => p.partyId), ...(f.alsoOptions ?? []).map((o) => o.value)];
  return ids.map((id) => ({ value: id, label: partyLabel(ctx.view, id, f.alsoOptions, f.name) }));
}

function Field({
  f,
  ctx,
  name,
  keyPath,
  parentRequired = true,
}: {
  f: FieldDescriptor;
  ctx: Ctx;
  name: NamePath;
  keyPath: string;
  parentRequired?: boolean;
}): ReactNode {
  const text = fieldLabel(ctx.path, f.name);
  const required = parentRequired && (f.required || (keyPath === f.name && ctx.needs.has(f.name)));
  const rules = [{ required, message: `请填写${text.replace(/（.*）$/, '')}` }];
  const optional = required ? '' : '（可选）';
  const common = { name, label: `${text}${optional}`, rules };

  if (isPartyField(f, ctx.action.forParty?.field) && (f.kind === 'uuid' || f.kind === 'array-of-uuid')) {
    return (
      <Form.Item {...common}>
        <Select
          mode={f.kind === 'array-of-uuid' ? 'multiple' : undefined}
          allowClear={!required}
          placeholder="请选择"
          options={partyOptions(f, ctx)}
        />
      </Form.Item>
    );
  }
  const reference = f.kind === 'uuid' || f.kind === 'text' ? referenceOf(f.name) : undefined;
  if (reference === 'mediator') {
    // by_rule: the organization's rule proposes the mediator (and records why); otherwise one is chosen here.
    return (
      <Form.Item noStyle dependencies={['mode']}>
        {({ getFieldValue }) =>
          getFieldValue('mode') === 'by_rule' ? (
            <Typography.Paragraph type="secondary">
              按分派规则由系统推荐调解员（专长相符、在办案件较少者优先），推荐理由记入案件时间线。
            </Typography.Paragraph>
          ) : (
            <Form.Item
              {...common}
              label={getFieldValue('mode') === 'party_choice' ? '当事人选定的调解员' : '调解员'}
              rules={[{ required: true, message: '请选择调解员' }]}
            >
              <MediatorSelect view={ctx.view} />
            </Form.Item>
          )
        }
      </Form.Item>
    );
  }
  if (reference === 'court') {
    return (
      <Form.Item {...common}>
        <CourtSelect allowClear={!required} />
      </Form.Item>
    );
  }
  if (reference === 'material') {
    return (
      <Form.Item {...common}>
        <MaterialSelect view={ctx.view} allowClear={!required} />
      </Form.Item>
    );
  }
  switch (f.kind) {
    case 'textarea':
      // A fixed height: antd's autoSize measures with a style attribute, which the CSP refuses.
      return (
        <Form.Item {...common}>
          <Input.TextArea
            rows={f.maxLength && f.maxLength > 5000 ? 6 : f.maxLength && f.maxLength <= 500 ? 2 : 3}
            maxLength={f.maxLength}
            showCount={!!f.maxLength && f.maxLength <= 5000}
          />
        </Form.Item>
      );
    case 'text':
    case 'uuid':
      return (
        <Form.Item
          {...common}
          rules={
            f.kind === 'uuid' ? [...rules, { pattern: /^[0-9a-fA-F-]{36}$/, message: '请填写编号（UUID）' }] : rules
          }
        >
          <Input maxLength={f.maxLength} />
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item {...common}>
          <Select
            allowClear={!required}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="请选择（可输入文字筛选）"
            options={(f.options ?? []).map((o) => ({
              value: o.value,
              label: valueLabel(`${ctx.path}.${f.name}`, o.value, o.label, f.name),
            }))}
          />
        </Form.Item>
      );
    case 'array-of-enum':
      return (
        <Form.Item
          {...common}
          rules={[
            ...rules,
            ...(f.maxItems ? [{ type: 'array' as const, max: f.maxItems, message: `最多选择 ${f.maxItems} 项` }] : []),
          ]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="请选择（可多选）"
            options={(f.options ?? []).map((o) => ({
              value: o.value,
              label: valueLabel(`${ctx.path}.${f.name}`, o.value, o.label, f.name),
            }))}
          />
        </Form.Item>
      );
    case 'array-of-text':
      return (
        <Form.Item {...common}>
          <Input.TextArea rows={4} />
        </Form.Item>
      );
    case 'integer':
    case 'number':
      return (
        <Form.Item {...common}>
          <InputNumber
            style={{ width: 240 }}
            min={f.min !== undefined ? (isFen(f) ? f.min / 100 : f.min) : undefined}
            max={f.max !== undefined ? (isFen(f) ? f.max / 100 : f.max) : undefined}
            precision={isFen(f) ? 2 : f.kind === 'integer' ? 0 : undefined}
          />
        </Form.Item>
      );
    case 'boolean':
      return required ? (
        <Form.Item {...common}>
          <Radio.Group
            options={
              f.name === 'granted'
                ? [
                    { value: true, label: '同意' },
                    { value: false, label: '不同意' },
                  ]
                : [
                    { value: true, label: '是' },
                    { value: false, label: '否' },
                  ]
            }
          />
        </Form.Item>
      ) : (
        <Form.Item name={name} valuePropName="checked">
          <Checkbox>{text}</Checkbox>
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item {...common}>
          <DatePicker format="YYYY-MM-DD" placeholder="选择日期" />
        </Form.Item>
      );
    case 'datetime':
      return (
        <Form.Item {...common} extra="北京时间">
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder="选择日期和时间" />
        </Form.Item>
      );
    case 'object': {
      const included = f.required || ctx.needs.has(f.name) || ctx.included.has(keyPath);
      return (
        <fieldset className="action-fieldset">
          <legend>{text}</legend>
          {f.required || ctx.needs.has(f.name) ? null : (
            <Checkbox checked={included} onChange={(e) => ctx.toggle(keyPath, e.target.checked)}>
              填写{text.replace(/（.*）$/, '')}
            </Checkbox>
          )}
          {included
            ? (f.fields ?? []).map((inner) => (
                <Field
                  key={inner.name}
                  f={inner}
                  ctx={ctx}
                  name={[...name, inner.name]}
                  keyPath={`${keyPath}.${inner.name}`}
                  parentRequired={parentRequired}
                />
              ))
            : null}
        </fieldset>
      );
    }
    case 'array-of-object':
      return (
        <fieldset className="action-fieldset">
          <legend>{text}</legend>
          <Form.List name={name}>
            {(items, { add, remove }) => (
              <>
                {items.map((item, i) => (
                  <Card
                    key={item.key}
                    size="small"
                    style={{ marginBottom: 12 }}
                    title={<h3 style={{ margin: 0, fontSize: 14 }}>第 {i + 1} 条</h3>}
                    extra={
                      items.length > (f.minItems ?? 0) ? (
                        <Button type="link" danger onClick={() => remove(item.name)} aria-label={`删除第 ${i + 1} 条`}>
                          删除
                        </Button>
                      ) : null
                    }
                  >
                    {(f.fields ?? []).map((inner) => (
                      <Field
                        key={inner.name}
                        f={inner}
                        ctx={ctx}
                        name={[item.name, inner.name]}
                        keyPath={`${keyPath}.${inner.name}`}
                        parentRequired={parentRequired}
                      />
                    ))}
                  </Card>
                ))}
                {f.maxItems === undefined || items.length < f.maxItems ? (
                  <div>
                    <Button onClick={() => add({})}>添加{text.replace(/^协议/, '')}</Button>
                    {f.name === 'terms' && DRAFTING_ACTIONS.has(ctx.path) ? (
                      <ClausePicker view={ctx.view} onPick={(t) => add({ text: t })} />
                    ) : null}
                  </div>
                ) : null}
              </>
            )}
          </Form.List>
        </fieldset>
      );
    default:
      return null;
  }
}

/**
 * What the form starts with: the schema's defaults, one empty item in a list that needs one, the only possible
 * party, and the version of the agreement now circulating (the one a signature is for).
 */
function initialValues(fields: readonly FieldDescriptor[], action: CaseAction, view: CaseView): Values {
  const out: Values = {};
  for (const f of fields) {
    if (f.default !== undefined) out[f.name] = f.default;
    else if (f.kind === 'object' && f.required) out[f.name] = initialValues(f.fields ?? [], action, view);
    else if (f.name === 'draftVersion' && view.agreement?.version) out[f.name] = view.agreement.version;
    else if (f.kind === 'array-of-object' && (f.minItems ?? 0) > 0)
      out[f.name] = Array.from({ length: f.minItems! }, () => ({}));
    else if (f.name === action.forParty?.field && action.forParty.possibleFor.length === 1)
      out[f.name] = action.forParty.possibleFor[0];
  }
  return out;
}

/**
 * The form for one case action. A drafting form first reads the agreement's recorded versions: a revision starts
 * from the last one.
 */
export function ActionForm({ view, action, onClose }: { view: CaseView; action: CaseAction; onClose(): void }) {
  const drafts = useDrafts(view, action.path);
  if (drafts.isLoading)
    return <Modal open title={label(ACTION_LABELS, action.path)} loading footer={null} onCancel={onClose} />;
  // Without the earlier versions (a refusal, a lost connection) the form starts blank, as for a first draft.
  const base = action.path === 'agreement/drafts' ? drafts.data?.drafts.at(-1) : undefined;
  return <ActionFormBody view={view} action={action} onClose={onClose} base={base} />;
}

function ActionFormBody({
  view,
  action,
  onClose,
  base,
}: {
  view: CaseView;
  action: CaseAction;
  onClose(): void;
  base: AgreementDraft | undefined;
}) {
  const fields = useMemo(() => ACTION_FORMS[action.path] ?? [], [action.path]);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const name = label(ACTION_LABELS, action.path);
  // An optional part the base version has (its notarization commitment) stays in unless unticked.
  const [included, setIncluded] = useState<Set<string>>(
    () => new Set(base?.content.notarization ? ['content.notarization'] : []),
  );
  // The key of this form's intent, made when it opens; a different body is a new intent (see the file's comment).
  const [sent, setSent] = useState<{ key: string; body: string }>(() => ({ key: idempotencyKey(), body: '' }));
  const needs = useMemo(() => new Set(action.needsInput ?? []), [action.needsInput]);

  const send = useMutation({
    mutationFn: async (body: Values) => {
      const text = JSON.stringify(body);
      const key = sent.body === '' || sent.body === text ? sent.key : idempotencyKey();
      setSent({ key, body: text });
      return ok(
        // The path comes from the case's own action list; the body from that path's own schema.
        api.POST(`/cases/{caseId}/${action.path}` as '/cases/{caseId}/accept', {
          params: { path: { caseId: view.caseId } },
          body: body as never,
          headers: { 'Idempotency-Key': key },
        }),
      );
    },
    onSuccess: async (answer) => {
      // The answer is the case as it is now (the process's own snapshot): show it at once, then re-read the rest.
      const caseKey = ['case', view.caseId];
      if (answer && typeof answer === 'object' && 'caseNumber' in answer) queryClient.setQueryData(caseKey, answer);
      onClose();
      message.success(`已办理：${name}`);
      announce(
        `已办理：${name}。案件状态：${answer && typeof answer === 'object' && 'statusLabel' in answer ? String(answer.statusLabel) : ''}`,
      );
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      await queryClient.invalidateQueries({ queryKey: ['queue-count'] });
      await queryClient.invalidateQueries({ queryKey: ['deadlines', view.caseId] });
      await queryClient.invalidateQueries({ queryKey: ['documents', view.caseId] });
      await queryClient.invalidateQueries({ queryKey: draftsKey(view.caseId) });
      // The answer's events may not yet hold this action's own (the record is written just after): read again shortly.
      window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: caseKey }), 1500);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.explained.fields?.length) {
        const known = error.explained.fields.filter((e) => e.field !== '(body)');
        form.setFields(known.map((e) => ({ name: namePath(e.field), errors: [fieldMessage(e.message)] })));
        const first = known[0];
        if (first) form.scrollToField(namePath(first.field), { focus: true });
      }
      announce(`办理失败：${error instanceof ApiError ? error.explained.message : '请重试'}`);
    },
  });

  const ctx: Ctx = {
    path: action.path,
    action,
    view,
    needs,
    included,
    form,
    toggle: (key, on) =>
      setIncluded((prev) => {
        const next = new Set(prev);
        if (on) next.add(key);
        else next.delete(key);
        return next;
      }),
  };

  const submit = async () => {
    let values: Values;
    try {
      values = (await form.validateFields()) as Values;
    } catch {
      announce('请按提示填写必填项。');
      return;
    }
    send.mutate(toBody(fields, values, new Set([...included, ...needs])));
  };

  return (
    <Modal
      open
      title={name}
      width={720}
      okText="提交"
      cancelText="取消"
      confirmLoading={send.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
    >
      <Typography.Paragraph type="secondary">
        将对案件 {view.caseNumber} 办理「{name}」，记入案件时间线后不能撤销。标注“可选”的项可以不填。
      </Typography.Paragraph>
      {DRAFTING_ACTIONS.has(action.path) ? <DraftingNotes view={view} base={base} /> : null}
      <Form
        form={form}
        name="action"
        layout="vertical"
        colon={false}
        initialValues={{
          ...initialValues(fields, action, view),
          ...(base ? { content: contentToValues(base.content) } : {}),
        }}
        onFinish={() => void submit()}
      >
        {fields.map((f) => (
          <Field key={f.name} f={f} ctx={ctx} name={[f.name]} keyPath={f.name} />
        ))}
      </Form>
      {send.isError ? <ActionError error={send.error} /> : null}
    </Modal>
  );
}
