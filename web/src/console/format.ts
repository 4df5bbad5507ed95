/** Dates, times and amounts: shared with the party portal (web/src/shared/format.ts). */
export * from '../shared/format';
