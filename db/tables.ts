/** Row types for knex (`declare module 'knex/types/tables.js'`). Column names as in the migrations. */
import type { Knex } from 'knex';
import type { LegalRepresentative } from '../domain/case.js';

export type CaseRow = {
  case_id: string;
  workflow_id: string;
  case_number: string;
  status: string;
  channel: string;
  dispute_type: string;
  summary: string;
  claimant_learned_of_harm_on: string;
  claim_amount_fen: number | null;
  court: Record<string, unknown> | null;
  referral: Record<string, unknown> | null;
  prior_proceedings: Record<string, unknown> | null;
  received_at: Date;
  registered_by_id: string;
  registered_by_role: string;
  last_seq: number;
  /** The hash of event `last_hash_seq`: the chain's head while that is `last_seq` (else it is read from the chain). */
  last_hash: string | null;
  last_hash_seq: number | null;
  status_changed_at: Date;
  created_at: Date;
  updated_at: Date;
  intake_org_id: string | null;
  handling_org_id: string | null;
  mediator_account_id: string | null;
  court_institution_id: string | null;
  confirming_court_id: string | null;
  notary_institution_id: string | null;
  legal_aid_requested: boolean;
  priority_groups: string[];
  termination_reason: string | null;
  agreement_effective_at: Date | null;
};

export type CasePartyRow = {
  party_id: string;
  case_id: string;
  position: number;
  role: string;
  kind: string;
  name: string;
  id_number_enc: string | null;
  phone_enc: string | null;
  address_enc: string | null;
  credit_code: string | null;
  represents_party_id: string | null;
  minor_under_14: boolean;
  name_enc: string | null;
  /** 法定代表人 / 主要负责人 of an organization party; null for people and for rows from before. */
  legal_representative: LegalRepresentative | null;
  created_at: Date;
};

export type CaseEventRow = {
  case_id: string;
  seq: number;
  type: string;
  at: Date;
  actor_id: string;
  actor_role: string;
  payload: Record<string, unknown>;
  prev_hash: string | null;
  hash: string;
  recorded_at: Date;
};

export type IdempotencyKeyRow = {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  response_headers: Record<string, string> | null;
  created_at: Date;
  /** While a request runs; NULL once answered. */
  locked_until: Date | null;
  /** The token of the request holding the key: only its holder records an answer or releases it. */
  claim_token: string | null;
};

/** One period of a case as the projection last wrote it (the workflow holds the running clock). */
export type CaseDeadlineRow = {
  case_id: string;
  rule_id: string;
  status: string;
  started_at: Date;
  due_at: Date | null;
  /** 'YYYY-MM-DD' (DATE is read as the plain string). */
  last_day: string | null;
  reminder_at: Date | null;
  calendar_version: string | null;
  reminded: boolean;
  explanation: unknown;
  updated_at: Date;
};

export type AgreementDraftRow = {
  case_id: string;
  version: number;
  form: string;
  content: unknown;
  sha256: string;
  created_by: string;
  created_at: Date;
};

/** A message for a court or notary office, kept once per key (the institution outbox). */
export type InstitutionMessageRow = {
  id: number;
  message_key: string;
  delivery_id: string;
  institution_id: string;
  case_id: string;
  message: string;
  payload: unknown;
  created_at: Date;
  delivered_at: Date | null;
};

export type InstitutionWebhookRow = { institution_id: string; url: string; secret_enc: string; updated_at: Date };

/** One try to hand a text to the gateway or a message to an institution's webhook. */
export type DeliveryAttemptRow = {
  id: number;
  delivery_id: string;
  channel: string;
  attempt: number;
  at: Date;
  outcome: string;
  http_status: number | null;
  error: string | null;
};

/**
 * A text to a party or a member of staff; number and text encrypted. Not declared in `Tables` below: tests read
 * this table's rows as untyped.
 */
export type SmsOutboxRow = {
  message_id: string;
  to_phone_enc: string;
  body_enc: string;
  purpose: string;
  case_id: string | null;
  party_id: string | null;
  created_at: Date;
  expires_at: Date | null;
  sent_at: Date | null;
  gateway_message_id: string | null;
};

/** A case's facts for the statistics (migration 20261205010000; db/case-facts.ts keeps them). */
export type CaseFactsRow = {
  case_id: string;
  last_seq: number;
  channel: string;
  dispute_type: string;
  intake_org_id: string | null;
  handling_org_id: string | null;
  org_id: string | null;
  county: string | null;
  mediator_account_id: string | null;
  priority_groups: string[];
  status: string;
  received_at: Date;
  accepted_at: Date | null;
  mediator_accepted_at: Date | null;
  concluded_at: Date | null;
  outcome: string | null;
  termination_reason: string | null;
  agreement_effective_at: Date | null;
  confirmation_applied_at: Date | null;
  confirmation_ruled_at: Date | null;
  confirmation_outcome: string | null;
  notarization_applied_at: Date | null;
  certificate_issued_at: Date | null;
  last_instalment_due_at: Date | null;
  performed_at: Date | null;
  archived_at: Date | null;
  days_from_acceptance: number | null;
  working_days_from_acceptance: number | null;
  days_from_mediator_acceptance: number | null;
  working_days_from_mediator_acceptance: number | null;
  updated_at: Date;
};

/** The monthly rollup of the facts (migration 20261206020000; db/case-facts.ts keeps it); '' for a missing attribute. */
export type CaseFactsMonthlyRow = {
  dated: string;
  month: string;
  dispute_type: string;
  channel: string;
  intake_org_id: string;
  handling_org_id: string;
  org_id: string;
  county: string;
  mediator_account_id: string;
  priority_groups: string[];
  n_all: number;
  n_mediated: number;
  n_agreement: number;
  n_confirmation_applied: number;
  n_confirmed: number;
  n_notarization_applied: number;
  n_performed: number;
  // The ratings (migration 20261207130000): a rated case on its 'concluded' row; ratings that count on 'rated' rows.
  n_rated: number;
  n_counted_rating: number;
  n_satisfied_rating: number;
};

/** A complaint's projection (migration 20261205020000; db/complaints.ts keeps it). */
export type ComplaintRow = {
  complaint_id: string;
  workflow_id: string;
  tracking_number: string;
  case_id: string;
  status: string;
  channel: string;
  ground: string;
  target_kind: string;
  target_id: string;
  target_mediator_kind: string | null;
  complainant_party_id: string;
  filed_by_id: string;
  filed_by_role: string;
  investigator_id: string | null;
  received_at: Date;
  accepted_at: Date | null;
  decided_at: Date | null;
  upheld: boolean | null;
  outcome: string | null;
  closed_at: Date | null;
  state: unknown;
  next_due_at: Date | null;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
};
export type ComplaintEventRow = Omit<CaseEventRow, 'case_id'> & { complaint_id: string };
/** Credit files (migration 20261206010000; db/credit.ts keeps them). */
export type CreditFileRow = { subject_kind: string; subject_id: string; last_seq: number; created_at: Date };
export type CreditEntryRow = Omit<CaseEventRow, 'case_id'> & {
  subject_kind: string;
  subject_id: string;
  source_key: string;
  decided_on: string;
  public_until: string | null;
};
export type DirectoryListingRow = {
  holder_id: string;
  address: string;
  hours: string;
  office_phone: string | null;
  source: string;
  updated_at: Date;
};
/** Ratings (migration 20261206000000; db/ratings.ts keeps them). */
export type RatingRow = {
  rating_id: string;
  case_id: string;
  party_id: string;
  level: string;
  negative: boolean;
  tags: unknown;
  text: string | null;
  channel: string;
  rated_by_id: string;
  mediator_account_id: string | null;
  org_id: string | null;
  rated_at: Date;
  workflow_id: string | null;
  follow_up_status: string | null;
  follow_up: unknown;
  next_due_at: Date | null;
  review_outcome: string | null;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
};
export type RatingEventRow = Omit<CaseEventRow, 'case_id'> & { rating_id: string };
export type RatingLinkRow = {
  link_id: string;
  case_id: string;
  party_id: string;
  token_hash: string;
  message_id: string;
  expires_at: Date;
  used_at: Date | null;
  voided_at: Date | null;
  created_at: Date;
};
export type RatingCallbackRow = {
  callback_id: string;
  sample_id: string;
  case_id: string;
  org_id: string | null;
  drawn_by_id: string;
  drawn_at: Date;
  outcome: string | null;
  level: string | null;
  note: string | null;
  recorded_by_id: string | null;
  recorded_at: Date | null;
};

declare module 'knex/types/tables.js' {
  interface Tables {
    cases: Knex.CompositeTableType<CaseRow, Partial<CaseRow>, Partial<CaseRow>>;
    case_parties: CasePartyRow;
    case_events: Knex.CompositeTableType<CaseEventRow, Omit<CaseEventRow, 'recorded_at'>>;
    case_number_sequences: { scope: string; year: number; last_value: number };
    idempotency_keys: Knex.CompositeTableType<
      IdempotencyKeyRow,
      Partial<IdempotencyKeyRow>,
      Partial<IdempotencyKeyRow>
    >;
    case_deadlines: Knex.CompositeTableType<CaseDeadlineRow, Partial<CaseDeadlineRow>, Partial<CaseDeadlineRow>>;
    case_facts: Knex.CompositeTableType<CaseFactsRow, Partial<CaseFactsRow>, Partial<CaseFactsRow>>;
    case_facts_monthly: CaseFactsMonthlyRow;
    agreement_drafts: Knex.CompositeTableType<
      AgreementDraftRow,
      Partial<AgreementDraftRow>,
      Partial<AgreementDraftRow>
    >;
    institution_messages: Knex.CompositeTableType<
      InstitutionMessageRow,
      Partial<InstitutionMessageRow>,
      Partial<InstitutionMessageRow>
    >;
    institution_webhooks: Knex.CompositeTableType<
      InstitutionWebhookRow,
      Partial<InstitutionWebhookRow>,
      Partial<InstitutionWebhookRow>
    >;
    delivery_attempts: Knex.CompositeTableType<
      DeliveryAttemptRow,
      Partial<DeliveryAttemptRow>,
      Partial<DeliveryAttemptRow>
    >;
    complaints: Knex.CompositeTableType<ComplaintRow, Partial<ComplaintRow>, Partial<ComplaintRow>>;
    complaint_events: Knex.CompositeTableType<ComplaintEventRow, Omit<ComplaintEventRow, 'recorded_at'>>;
    credit_files: Knex.CompositeTableType<CreditFileRow, Partial<CreditFileRow>, Partial<CreditFileRow>>;
    credit_entries: Knex.CompositeTableType<CreditEntryRow, Omit<CreditEntryRow, 'recorded_at'>, never>;
    directory_listings: Knex.CompositeTableType<DirectoryListingRow, Partial<DirectoryListingRow>>;
    ratings: Knex.CompositeTableType<RatingRow, Partial<RatingRow>, Partial<RatingRow>>;
    rating_events: Knex.CompositeTableType<RatingEventRow, Omit<RatingEventRow, 'recorded_at'>>;
    rating_links: Knex.CompositeTableType<RatingLinkRow, Partial<RatingLinkRow>, Partial<RatingLinkRow>>;
    rating_callbacks: Knex.CompositeTableType<
      RatingCallbackRow,
      Partial<RatingCallbackRow>,
      Partial<RatingCallbackRow>
    >;
  }
}
