/**
 * The actions the server offers on a process beside a case (a complaint: ComplaintActions; a 差评's follow-up:
 * RatingActions), each a button that opens its small form, described as data: a table of fields per action. Nothing
 * here decides who may do what or when (the server's `actions` do). One Idempotency-Key per intent, kept while the
 * same form is sent again (web/src/shared/idempotency.ts); where the page names its forms' fields, a 400 shows at the
 * field it names.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useState, type ReactNode } from 'react';
import { errorText } from '../../../api/problems';
import { useKeyPerBody } from '../../../shared/idempotency';
import { announce } from '../../a11y';
import { formErrorText, showFieldErrors } from './field-errors';

/** An action's path under its process (/complaints/{id}/…, /ratings/{id}/…) and its name on the button. */
export type ActionSpec = { path: string; name: string };

export type Values = Record<string, unknown>;

/** One field of an action's form: a line or a box of text, a number, or a choice (yes/no, or from a list). */
export type ActionField = {
  name: string;
  label: string;
  /** Asked for, with what is said when it is left empty (text that is only spaces counts as empty). */
  required?: string;
  /** A line below the field. */
  extra?: string;
  /** Shown only while this other field of the form is set (a decision's sanction, once the complaint is upheld). */
  shownWith?: string;
} & (
  | { input: 'text'; maxLength?: number }
  | { input: 'textarea'; rows: number; maxLength?: number }
  | { input: 'number'; min: number; max: number }
  | { input: 'radio'; options: { value: string | boolean; label: string }[] }
  | { input: 'select'; options: { value: string; label: string }[] }
);

/** An action's form: a sentence saying what it does, and its fields. */
export type ActionFormSpec = { note?: string; fields: ActionField[] };

/** Options from a table of labels (code → Chinese). */
export const optionsOf = (labels: Record<string, string>): { value: string; label: string }[] =>
  Object.entries(labels).map(([value, l]) => ({ value, label: l }));

/** A text asked for, with 请填写… when it is left empty. */
export const asked = (what: string): Pick<ActionField, 'required'> => ({ required: `请填写${what}` });

/** The buttons for the actions offered that the page knows; one opens its dialog. */
export function ProcessActions({
  offered,
  specs,
  primary,
  dialog,
}: {
  offered: readonly string[];
  specs: Record<string, ActionSpec>;
  /** Which button is the primary one. */
  primary: (action: string, index: number) => boolean;
  dialog: (action: string, onClose: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const known = offered.filter((a) => specs[a]);
  if (known.length === 0) return <p>当前没有需要您办理的操作。</p>;
  return (
    <>
      <div className="chart-actions">
        {known.map((a, i) => (
          <Button key={a} type={primary(a, i) ? 'primary' : 'default'} onClick={() => setOpen(a)}>
            {specs[a]!.name}
          </Button>
        ))}
      </div>
      {open ? dialog(open, () => setOpen(null)) : null}
    </>
  );
}

export type ActionDialogProps<V> = {
  spec: ActionSpec;
  form: ActionFormSpec;
  initialValues: Values;
  /** Sends the body to the action's path with its Idempotency-Key; the process as it now stands. */
  post: (path: string, body: Values, idempotencyKey: string) => Promise<V>;
  /** The form's values as the API's body (as they are, when not given). */
  toBody?: ((values: Values) => Values) | undefined;
  /** The page's own query of the process (answered with the process as it now stands) and of its list. */
  queryKey: readonly unknown[];
  listKey: readonly unknown[];
  /** What the screen reader hears after 已办理：…, e.g. the new status. */
  announced: (after: V) => string;
  /** Where a 400's field errors are shown at their fields: the page's names of its forms' fields. */
  fieldNames?: readonly string[] | undefined;
  onClose: () => void;
};

export function ActionDialog<V>(p: ActionDialogProps<V>) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const keys = useKeyPerBody();
  const { spec } = p;
  const send = useMutation({
    mutationFn: (body: Values) => p.post(spec.path, body, keys.keyFor(body)),
    onSuccess: async (after) => {
      queryClient.setQueryData(p.queryKey, after);
      p.onClose();
      void message.success(`已办理：${spec.name}`);
      announce(`已办理：${spec.name}。${p.announced(after)}`);
      await queryClient.invalidateQueries({ queryKey: p.listKey });
    },
    onError: (error) => {
      keys.afterError(error);
      if (p.fieldNames) showFieldErrors(form, error, p.fieldNames);
    },
  });
  const failure = p.fieldNames ? formErrorText : errorText;
  return (
    <Modal
      open
      title={spec.name}
      okText="确认办理"
      cancelText="取消"
      confirmLoading={send.isPending}
      onCancel={p.onClose}
      onOk={() =>
        void form
          .validateFields()
          .then((v) => send.mutate(p.toBody ? p.toBody(v) : v))
          // antd shows what is missing at its field.
          .catch(() => undefined)
      }
    >
      <Form form={form} layout="vertical" initialValues={p.initialValues}>
        {p.form.note ? <p>{p.form.note}</p> : null}
        {p.form.fields.map((f) =>
          f.shownWith ? (
            <WhileSet key={f.name} name={f.shownWith}>
              <FieldItem field={f} />
            </WhileSet>
          ) : (
            <FieldItem key={f.name} field={f} />
          ),
        )}
      </Form>
      {send.isError ? (
        <p role="alert" className="form-error">
          {failure(send.error, '未能办理，请重试。')}
        </p>
      ) : null}
    </Modal>
  );
}

function WhileSet({ name, children }: { name: string; children: ReactNode }) {
  const value = Form.useWatch(name) as unknown;
  return value ? children : null;
}

function FieldItem({ field: f }: { field: ActionField }) {
  const typed = f.input === 'text' || f.input === 'textarea';
  const rules = f.required ? [{ required: true, ...(typed ? { whitespace: true } : {}), message: f.required }] : [];
  return (
    <Form.Item name={f.name} label={f.label} extra={f.extra} rules={rules}>
      {inputOf(f)}
    </Form.Item>
  );
}

function inputOf(f: ActionField): ReactNode {
  switch (f.input) {
    case 'text':
      return <Input maxLength={f.maxLength} />;
    case 'textarea':
      return <Input.TextArea rows={f.rows} maxLength={f.maxLength} />;
    case 'number':
      return <InputNumber min={f.min} max={f.max} />;
    case 'radio':
      return <Radio.Group options={f.options} />;
    case 'select':
      return <Select options={f.options} />;
  }
}
