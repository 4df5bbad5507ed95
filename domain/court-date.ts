/**
 * The court's own date from its 委派/委托 letter against the statutory period (特邀调解规定 Art 27): when the
 * court asks for less time than the law gives, the clerk and the mediator must know at once, since the
 * court will act on its own date.
 */
import type { DeadlineState } from './case-rules.js';
import type { DeadlineRuleId } from './deadlines.js';

const COURT_PERIODS: readonly DeadlineRuleId[] = [
  'court_pre_filing_mediation',
  'court_post_filing_ordinary',
  'court_post_filing_summary',
];

export type CourtDateComparison = {
  courtLastDay: string;
  statutoryRuleId: DeadlineRuleId;
  statutoryLastDay: string;
  courtDateEarlier: boolean;
};

/** Both clocks running with due times: how they compare. */
export function compareCourtDate(
  deadlines: Partial<Record<DeadlineRuleId, Pick<DeadlineState, 'lastDay' | 'status'>>>,
): CourtDateComparison | undefined {
  const court = deadlines.court_letter_deadline;
  const statutoryRuleId = COURT_PERIODS.find((id) => deadlines[id]?.lastDay);
  if (!court?.lastDay || !statutoryRuleId) return undefined;
  const statutoryLastDay = deadlines[statutoryRuleId]!.lastDay;
  return {
    courtLastDay: court.lastDay,
    statutoryRuleId,
    statutoryLastDay,
    courtDateEarlier: court.lastDay < statutoryLastDay,
  };
}
