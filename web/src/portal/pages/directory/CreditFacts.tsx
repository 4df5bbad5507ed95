/**
 * A mediator's or an organization's level and the bad records still inside their disclosure window, as the
 * public directory shows them (seed Arts 21 and 56–57; docs/supervision.md#credit-files-and-the-public-directory):
 * the level with the rule version it was computed by and when, and each sanction or upheld complaint with who
 * decided it, when, on which document and until when it is shown. Rendered as rows of a `dl.facts`.
 */
import { formatDay } from '../../../shared/format';
import type { CreditLevel, PublicRecord } from './useDirectory';
import './directory.css';

export function levelText(level: CreditLevel | undefined): string {
  if (!level) return '尚未评定';
  if (level.level === 'unrated') return `${level.label}（办结案件较少）`;
  return `${level.level} 级（${level.label}）`;
}

function recordText(r: PublicRecord): string {
  const outcome = r.outcomeLabel ? `，处理结果：${r.outcomeLabel}` : '';
  const document = r.document ? `（${r.document}）` : '';
  return `${r.authority} ${formatDay(r.decidedOn)} 决定${document}${outcome}`;
}

export function CreditFacts({
  level,
  sanctions,
  sanctionsState = 'loaded',
}: {
  level: CreditLevel | undefined;
  sanctions: PublicRecord[] | undefined;
  /** The sanctions come from the directory when the rest of the card came from elsewhere (the roster). */
  sanctionsState?: 'loaded' | 'loading' | 'failed';
}) {
  return (
    <>
      <dt>等级</dt>
      <dd data-testid="credit-level">
        {levelText(level)}
        {level ? (
          <span className="basis">
            {formatDay(level.evaluatedOn)} 评定（评定规则版本 {level.ruleVersion}）
          </span>
        ) : null}
      </dd>
      <dt>不良记录</dt>
      <dd data-testid="credit-records">
        {sanctionsState === 'loading' ? (
          '正在查询…'
        ) : sanctionsState === 'failed' ? (
          '暂未能查询，可稍后在公开名录中查看。'
        ) : !sanctions?.length ? (
          '无（公示期内没有处分或查实的投诉）'
        ) : (
          <ul className="credit-records">
            {sanctions.map((r) => (
              <li key={`${r.kind}-${r.decidedOn}-${r.document ?? r.title}`}>
                <strong>
                  {r.kindLabel}：{r.title}
                </strong>
                <span className="basis">
                  {recordText(r)}；公示至 {r.lastDayShown ? formatDay(r.lastDayShown) : '—'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}
