/** Chinese names for the API's codes: shared with the party portal (web/src/shared/labels.ts). */
export * from '../shared/labels';
