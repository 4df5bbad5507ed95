/**
 * Mediating (docs/case-path.md#mediation): sessions are recorded; the mediation is suspended for an appraisal or a
 * suspected sham and resumed; the parties extend the period by consent.
 */
import { COURT_CHANNELS } from '../case.js';
import { DEADLINE_RULES } from '../deadlines.js';
import { PRINCIPAL_ROLES, actsFor, isParty, principalParties, refuse, rule, type Handler } from './support.js';

export const recordSession: Handler<'record_session'> = (state, command, _now, ctx) => {
  ctx.emit('SessionRecorded', { at: command.at, place: command.place, mode: command.mode, record: command.record });
  return ctx.done(state, { mediation: { ...state.mediation, sessions: state.mediation.sessions + 1 } });
};

export const suspend: Handler<'suspend'> = (state, command, _now, ctx) => {
  const { at, mediationRule } = ctx;
  // Appraisal time is excluded from the period (在线调解规则 Art 26); suspected sham mediation is
  // suspended and reported (特邀调解规定 Art 18).
  // A period with no pause rule keeps running (labour: 15 days from the application, 劳动争议调解仲裁法 Art 14).
  const pauses = DEADLINE_RULES[mediationRule].pauses !== null;
  ctx.emit('MediationSuspended', {
    reason: command.reason,
    article: command.reason === 'appraisal' ? '人民法院在线调解规则第二十六条' : '特邀调解规定第十八条',
    clockPaused: pauses,
    ...(command.note ? { note: command.note } : {}),
  });
  if (pauses && state.deadlines[mediationRule]?.status === 'open')
    ctx.effects.push({ kind: 'pause_deadline', ruleId: mediationRule });
  // A court's case suspended for suspected sham mediation is reported to that court (特邀调解规定 Art 18).
  if (command.reason === 'sham_check' && COURT_CHANNELS.includes(state.channel)) {
    ctx.effects.push({
      kind: 'report_to_court',
      message: 'sham_mediation_suspected',
      payload: { suspendedAt: at, basis: '特邀调解规定第十八条', ...(command.note ? { note: command.note } : {}) },
      keySuffix: String(ctx.lastSeq()),
    });
  }
  return ctx.done(state, {
    status: 'SUSPENDED',
    mediation: { ...state.mediation, suspended: { reason: command.reason, since: at } },
  });
};

export const resume: Handler<'resume'> = (state, command, _now, ctx) => {
  const { at, mediationRule } = ctx;
  const since = state.mediation.suspended?.since ?? at;
  ctx.emit('MediationResumed', { pausedFrom: since, ...(command.note ? { note: command.note } : {}) });
  const paused = state.deadlines[mediationRule]?.status === 'paused';
  const pauses = paused ? [...state.mediation.pauses, { from: since, to: at }] : state.mediation.pauses;
  if (paused) ctx.effects.push({ kind: 'recompute_deadline', ruleId: mediationRule });
  const { suspended: _s, ...rest } = state.mediation;
  return ctx.done(state, { status: 'IN_MEDIATION', mediation: { ...rest, pauses } });
};

export const consentToExtension: Handler<'consent_to_extension'> = (state, command, _now, ctx) => {
  const { mediationRule } = ctx;
  const r = DEADLINE_RULES[mediationRule];
  if (!r.extension) return rule('no_extension', `${r.label} cannot be extended`, r.citation);
  // The limit is on the extension in total (e.g. +30 days for 委托), not on each round of consent.
  if (typeof r.extension.days === 'number' && state.mediation.extensionDays + command.days > r.extension.days) {
    return rule('extension_too_long', `${r.label} can be extended by at most ${r.extension.days} days`, r.citation);
  }
  if (!isParty(state, command.partyId, PRINCIPAL_ROLES))
    return refuse('wrong_state', 'unknown_party', 'no such party in this case');
  if (!actsFor(state, command.actor, command.partyId))
    return refuse('forbidden', 'not_your_party', 'a party may only consent for themselves');
  const consents = { ...state.mediation.extensionConsents, [command.partyId]: command.days };
  ctx.emit('ExtensionConsented', { partyId: command.partyId, days: command.days });
  const everyone = principalParties(state).every((p) => consents[p.partyId] === command.days);
  if (!everyone) return ctx.done(state, { mediation: { ...state.mediation, extensionConsents: consents } });
  // Every party agreed to the same extension (特邀调解规定 Art 27; 2025 opinion: +30 days for 委托).
  ctx.emit('MediationExtended', { days: command.days, article: r.citation });
  // While suspended the clock stays paused; resuming recomputes with the extension included.
  if (state.deadlines[mediationRule]?.status === 'open')
    ctx.effects.push({ kind: 'recompute_deadline', ruleId: mediationRule });
  return ctx.done(state, {
    mediation: {
      ...state.mediation,
      extensionConsents: {},
      extensionDays: state.mediation.extensionDays + command.days,
    },
  });
};
