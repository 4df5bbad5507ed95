export { mediationCase } from './mediation-case.js';
export { judicialConfirmation, notarization } from './securing-process.js';
export { deliverMessage, deliverSms } from './delivery.js';
export { smsSweep } from './sms-sweep.js';
export { complaint } from './complaint.js';
export { ratingFollowUp } from './rating-followup.js';
