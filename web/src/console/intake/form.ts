/**
 * The intake form's values and the request they become (POST /cases): the form keeps what the clerk typed
 * (yuan, dates as dayjs, a party's fields of either kind), `toBody` sends what the API's schema wants.
 */
import type { Dayjs } from 'dayjs';
import type { paths } from '../../api/schema';

export type IntakeBody = paths['/cases']['post']['requestBody']['content']['application/json'];
export type Channel = 'walk_in' | 'phone' | 'court_pre_filing' | 'court_post_filing';
/** 法定代理人 (a guardian: 民法典 Art 23) or 委托代理人 (an agent), acting for one party. */
export type RepresentativeValues = {
  kind?: 'guardian' | 'agent';
  name?: string;
  idNumber?: string;
  phone?: string;
  address?: string;
};
export type PartyValues = {
  role?: IntakeBody['parties'][number]['role'];
  kind?: 'natural' | 'legal';
  name?: string;
  idNumber?: string;
  creditCode?: string;
  phone?: string;
  address?: string;
  representatives?: RepresentativeValues[];
};
/** A scan attached to the form: the file itself is held beside the form (by `uid`), its kind and title in it. */
export type MaterialValues = { uid: string; kind?: MaterialKind; title?: string };
export type MaterialKind = NonNullable<paths['/cases/{caseId}/materials']['post']['parameters']['query']>['kind'];
export type Values = {
  channel: Channel;
  disputeType?: IntakeBody['disputeType'];
  summary?: string;
  learnedOn?: Dayjs | null;
  claimAmountYuan?: number | null;
  court?: {
    courtCode?: string;
    courtName?: string;
    courtCaseNumber?: string;
    letterNumber?: string;
    procedure?: 'ordinary' | 'summary';
    deadline?: Dayjs | null;
  };
  parties: PartyValues[];
  materials?: MaterialValues[];
};

export const INITIAL: Values = {
  channel: 'walk_in',
  parties: [
    { role: 'applicant', kind: 'natural' },
    { role: 'respondent', kind: 'natural' },
  ],
  materials: [],
};

export const isCourtChannel = (c: Channel | undefined) => c === 'court_pre_filing' || c === 'court_post_filing';

/** A text field as the API wants it: trimmed, and left out when empty. */
const opt = <K extends string>(key: K, value: string | undefined, upper = false): Partial<Record<K, string>> => {
  const v = value?.trim();
  return v ? ({ [key]: upper ? v.toUpperCase() : v } as Record<K, string>) : {};
};

function representative(r: RepresentativeValues) {
  return {
    kind: r.kind ?? 'guardian',
    name: r.name?.trim() ?? '',
    ...opt('idNumber', r.idNumber, true),
    ...opt('phone', r.phone),
    ...opt('address', r.address),
  };
}

export function toBody(v: Values): IntakeBody {
  const c = v.court ?? {};
  return {
    channel: v.channel,
    disputeType: v.disputeType!,
    summary: v.summary?.trim() ?? '',
    claimantLearnedOfHarmOn: v.learnedOn ? v.learnedOn.format('YYYY-MM-DD') : '',
    ...(typeof v.claimAmountYuan === 'number' ? { claimAmountFen: Math.round(v.claimAmountYuan * 100) } : {}),
    ...(isCourtChannel(v.channel)
      ? {
          court: {
            courtCode: c.courtCode?.trim() ?? '',
            ...opt('courtName', c.courtName),
            ...opt('courtCaseNumber', c.courtCaseNumber),
            ...opt('letterNumber', c.letterNumber),
            ...(c.procedure ? { procedure: c.procedure } : {}),
            ...(c.deadline ? { deadline: c.deadline.format('YYYY-MM-DD') } : {}),
          },
        }
      : {}),
    parties: v.parties.map((p) => ({
      role: p.role!,
      kind: p.kind ?? 'natural',
      name: p.name?.trim() ?? '',
      // A field of the other kind may still hold what was typed before the kind changed: not sent.
      ...(p.kind === 'legal' ? opt('creditCode', p.creditCode, true) : opt('idNumber', p.idNumber, true)),
      ...opt('phone', p.phone),
      ...opt('address', p.address),
      ...(p.representatives?.length ? { representatives: p.representatives.map(representative) } : {}),
    })),
  };
}
