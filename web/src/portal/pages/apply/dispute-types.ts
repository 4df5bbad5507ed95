/**
 * 纠纷类型 in plain words: one sentence each on what kind of quarrel the type covers, so a person who does not
 * know the legal names can still choose. Names and sentences are the domain's (its dispute-type table, generated
 * into DISPUTE_TYPE_LABELS and DISPUTE_TYPE_PLAIN_WORDS); the list follows the table, which starts with the
 * everyday quarrels, and ends with 民事纠纷, the catch-all, for anything else.
 */
import { DISPUTE_TYPE_PLAIN_WORDS } from '../../../api/vocabulary';
import type { DisputeType } from './draft';

const CATCH_ALL: DisputeType = 'general_civil';

export const DISPUTE_TYPE_CHOICES: { type: DisputeType; explanation: string }[] = (
  Object.entries(DISPUTE_TYPE_PLAIN_WORDS) as [DisputeType, string][]
)
  .filter(([type]) => type !== CATCH_ALL)
  .concat([[CATCH_ALL, DISPUTE_TYPE_PLAIN_WORDS[CATCH_ALL]]])
  .map(([type, explanation]) => ({ type, explanation }));
