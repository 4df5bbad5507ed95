/**
 * The parts a complaint's page (ComplaintDetail) and a 差评's page (RatingDetail) share: loading it (a process not
 * the reader's is a 404: the not-found page), its heading with the way back to its list, the panel with its status
 * and the actions offered, its clocks (each with its source and how it was counted: the server's own explanation),
 * and what was done so far. Each page says what is its own: its facts, its status, how a clock's line reads.
 */
import { Alert, Descriptions, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError, errorText } from '../../../api/problems';
import { PageHeading } from '../../a11y';
import { formatDateTime } from '../../format';
import { NotFoundPage } from '../NotFoundPage';

/** What shows instead of the process while it loads or when it cannot; undefined once it is there. */
export function notLoaded(
  view: { isError: boolean; error: unknown; data: unknown },
  failure: string,
): ReactNode | undefined {
  if (view.isError && view.error instanceof ApiError && view.error.status === 404) return <NotFoundPage />;
  if (view.isError) return <Alert type="error" showIcon role="alert" title={errorText(view.error, failure)} />;
  if (!view.data) return <Skeleton active />;
  return undefined;
}

/** The page's heading, the link back to its list, and the panel with the status and the actions offered now. */
export function ProcessHeader({
  title,
  back,
  statusId,
  status,
  children,
}: {
  title: string;
  back: { to: string; text: string };
  statusId: string;
  status: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeading title={title} />
      <p>
        <Link to={back.to}>{back.text}</Link>
      </p>
      <section aria-labelledby={statusId} className="panel">
        <div className="panel-heading">
          <h2 id={statusId}>{status}</h2>
        </div>
        {children}
      </section>
    </>
  );
}

type ShownClock = { clockId: string; startedAt: string; citation: string; explanation: string[] };

/** The clocks, each in the page's own line, then its source and how it was counted; nothing when there are none. */
export function ClockSection<C extends ShownClock>({
  id,
  clocks,
  line,
}: {
  id: string;
  clocks: readonly C[] | null | undefined;
  line: (clock: C) => ReactNode;
}) {
  if (!clocks?.length) return null;
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>期限</h2>
      <ul className="clock-list">
        {clocks.map((k) => (
          <li key={`${k.clockId}-${k.startedAt}`}>
            {line(k)}
            <div className="kpi-note">
              依据：{k.citation}。{k.explanation.join(' ')}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A step of the process: what, when, and what was said or decided; shown once it has a time or a text. */
export type ProgressStep = [what: string, at: string | null | undefined, text: string | null | undefined];

/** 办理经过: the steps taken so far, in order, or 尚未办理. */
export function ProgressSection({ id, steps }: { id: string; steps: ProgressStep[] }) {
  const done = steps.filter(([, at, text]) => at || text);
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>办理经过</h2>
      {done.length ? (
        <Descriptions column={1} bordered size="small">
          {done.map(([what, at, text], i) => (
            <Descriptions.Item key={`${what}-${i}`} label={what}>
              {at ? `${formatDateTime(at)} ` : ''}
              {text ? <span className="complaint-text">{text}</span> : null}
            </Descriptions.Item>
          ))}
        </Descriptions>
      ) : (
        <p>尚未办理。</p>
      )}
    </section>
  );
}
