/**
 * The SMS outbox (sms_outbox): every text the system sends, recorded first (phone and text sealed), then handed
 * to the gateway by its delivery workflow.
 */
import type { Knex } from 'knex';

type Tx = Knex | Knex.Transaction;

/** A text as recorded: the phone and the body are already encrypted. */
export type SmsRecord = {
  messageId: string;
  toPhoneEnc: string;
  bodyEnc: string;
  purpose: string;
  caseId: string | null;
  partyId: string | null;
  expiresAt: Date | null;
};

/** Records a text once: a second record under the same message id changes nothing. */
export async function recordSms(db: Tx, m: SmsRecord): Promise<void> {
  await db('sms_outbox')
    .insert({
      message_id: m.messageId,
      to_phone_enc: m.toPhoneEnc,
      body_enc: m.bodyEnc,
      purpose: m.purpose,
      case_id: m.caseId,
      party_id: m.partyId,
      expires_at: m.expiresAt,
    })
    .onConflict('message_id')
    .ignore();
}

export async function smsRecorded(db: Tx, messageId: string): Promise<boolean> {
  return (await db('sms_outbox').where({ message_id: messageId }).first('message_id')) !== undefined;
}

export type RecordedSms = {
  messageId: string;
  createdAt: Date;
  sentAt: Date | null;
  toPhoneEnc: string;
  purpose: string;
  bodyEnc: string;
};

/** The latest texts, newest first (of one party, when given). */
export async function latestSms(db: Tx, limit: number, filter: { partyId?: string } = {}): Promise<RecordedSms[]> {
  const q = db('sms_outbox').orderBy('created_at', 'desc').limit(limit);
  if (filter.partyId) q.where({ party_id: filter.partyId });
  const rows = await q;
  return rows.map((r) => ({
    messageId: r.message_id as string,
    createdAt: r.created_at as Date,
    sentAt: (r.sent_at as Date | null) ?? null,
    toPhoneEnc: r.to_phone_enc as string,
    purpose: r.purpose as string,
    bodyEnc: r.body_enc as string,
  }));
}

/**
 * Texts no delivery workflow has taken up: unsent, recorded before `before`, still of use (a one-time code until
 * it expires, any other text for three days), oldest first, at most `limit` (500).
 */
export async function undeliveredSms(
  db: Tx,
  opts: { now: Date; before: Date; oneTimeCodeMs: number; limit?: number },
): Promise<{ messageId: string; purpose: string }[]> {
  const { now } = opts;
  const rows = (await db('sms_outbox as m')
    .whereNull('m.sent_at')
    .where('m.created_at', '<', opts.before)
    .where((w) =>
      w
        .where((c) => c.whereNotNull('m.expires_at').where('m.expires_at', '>', now))
        // Texts recorded before expiry times were (a code then lasted at most ONE_TIME_CODE_MINUTES).
        .orWhere((c) =>
          c
            .whereNull('m.expires_at')
            .where('m.purpose', 'one_time_code')
            .where('m.created_at', '>', new Date(now.getTime() - opts.oneTimeCodeMs)),
        )
        .orWhere((c) =>
          c
            .whereNull('m.expires_at')
            .whereNot('m.purpose', 'one_time_code')
            .where('m.created_at', '>', new Date(now.getTime() - 3 * 86_400_000)),
        ),
    )
    .whereNotExists((e) =>
      e
        .select(db.raw('1'))
        .from('delivery_attempts as a')
        .whereRaw('a.delivery_id = m.message_id')
        .where('a.channel', 'sms'),
    )
    .orderBy('m.created_at')
    .limit(opts.limit ?? 500)
    .select('m.message_id', 'm.purpose')) as { message_id: string; purpose: string }[];
  return rows.map((r) => ({ messageId: r.message_id, purpose: r.purpose }));
}
