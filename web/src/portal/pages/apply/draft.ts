/**
 * The half-finished application (草稿), kept in this device's localStorage so a reload or a closed tab does not
 * lose the answers; never in the address (only the step's name is). It holds personal data on what may be a
 * shared phone, so: it stays on this device only (never sent anywhere until the applicant submits), it is
 * forgotten after a week, the applicant can clear it at any step (清除草稿), and it is cleared the moment the
 * application is registered. Files cannot be kept here: only their names, so the materials step can ask for
 * them again after a reload.
 */
import type { paths } from '../../../api/schema';

type Application = paths['/applications']['post']['requestBody']['content']['application/json']['application'];
type Intake = paths['/cases']['post']['requestBody']['content']['application/json'];
export type DisputeType = Intake['disputeType'];
export type MaterialKind = NonNullable<paths['/cases/{caseId}/materials']['post']['parameters']['query']>['kind'];
/** The SMS challenge as the API answered it, with the phone it went to (a changed phone needs a new one). */
export type Challenge = { challengeId: string; sentTo: string; expiresAt: string; phone: string };

export type Draft = {
  phone: string;
  /** The SMS challenge for `phone`: its code is checked by the API only when the application is submitted. */
  challenge?: Challenge;
  /** The six digits from the SMS: useless once the challenge expires (a few minutes) or is used. */
  code: string;
  disputeType?: DisputeType;
  name: string;
  idNumber: string;
  address: string;
  otherKind: 'natural' | 'legal';
  otherName: string;
  otherPhone: string;
  otherAddress: string;
  story: string;
  /**
   * The day the applicant learned of the harm (the limitation period runs from it), as typed in its three
   * fields: "year-month-day", any part possibly empty or unpadded (2026-1-5); `isoDay` reads it.
   */
  learnedOn: string;
  ask: string;
  /** As typed, in yuan; sent in fen. */
  amountYuan: string;
  /** The chosen files by name only: the bytes are in memory and lost on a reload. */
  files: { name: string; sizeBytes: number; kind: MaterialKind }[];
};

export const EMPTY_DRAFT: Draft = {
  phone: '',
  code: '',
  name: '',
  idNumber: '',
  address: '',
  otherKind: 'natural',
  otherName: '',
  otherPhone: '',
  otherAddress: '',
  story: '',
  learnedOn: '',
  ask: '',
  amountYuan: '',
  files: [],
};

const KEY = 'portal.applicationDraft';
/** A draft older than this is forgotten: a shared phone should not keep a stranger's answers for long. */
const KEEP_MS = 7 * 86_400_000;

export function loadDraft(now = Date.now()): Draft | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as { savedAt?: number; draft?: Partial<Draft> };
    if (typeof stored.savedAt !== 'number' || now - stored.savedAt > KEEP_MS || !stored.draft) {
      window.localStorage.removeItem(KEY);
      return null;
    }
    return { ...EMPTY_DRAFT, ...stored.draft };
  } catch {
    return null;
  }
}

export function saveDraft(draft: Draft): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ savedAt: Date.now(), draft }));
  } catch {
    // Storage refused (a private window, or full): the application still works for this visit.
  }
}

export function clearDraft(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // Nothing was kept.
  }
}

/** Whether anything was typed: an untouched form is not a draft worth offering to continue. */
export const hasAnswers = (d: Draft): boolean => Boolean(d.phone || d.disputeType || d.name || d.otherName || d.story);

/** The request text the API keeps as the dispute's summary: what happened, then what the applicant asks for. */
export function summaryOf(d: Draft): string {
  return `${d.story.trim()}\n申请人的请求：${d.ask.trim()}`;
}

/** Yuan as typed (12000, 12,000.5) in fen, or undefined when empty or not an amount. */
export function fenOf(yuan: string): number | undefined {
  const v = yuan.replace(/[,，\s]/g, '');
  if (!v) return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return undefined;
  return Math.round(Number(v) * 100);
}

/** The typed year, month and day. */
export function dayParts(typed: string): { year: string; month: string; day: string } {
  const [year = '', month = '', day = ''] = typed.split('-');
  return { year, month, day };
}

/** The typed day as YYYY-MM-DD when it is a real calendar day (no 2月30日), else undefined. */
export function isoDay(typed: string): string | undefined {
  const { year, month, day } = dayParts(typed);
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day)) return undefined;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === iso ? iso : undefined;
}

const opt = <K extends string>(key: K, value: string, upper = false): Partial<Record<K, string>> => {
  const v = value.trim();
  return v ? ({ [key]: upper ? v.toUpperCase() : v } as Record<K, string>) : {};
};

/** The draft as the API's intake (api/schemas.ts intakeSchema); the channel is set by the API. */
export function toApplication(d: Draft): Application {
  const amount = fenOf(d.amountYuan);
  return {
    disputeType: d.disputeType as DisputeType,
    summary: summaryOf(d),
    claimantLearnedOfHarmOn: isoDay(d.learnedOn) ?? d.learnedOn,
    ...(amount !== undefined ? { claimAmountFen: amount } : {}),
    parties: [
      {
        role: 'applicant',
        kind: 'natural',
        name: d.name.trim(),
        ...opt('idNumber', d.idNumber, true),
        phone: d.phone.trim(),
        ...opt('address', d.address),
      },
      {
        role: 'respondent',
        kind: d.otherKind,
        name: d.otherName.trim(),
        ...opt('phone', d.otherPhone),
        ...opt('address', d.otherAddress),
      },
    ],
  };
}
