/** The live region and the focused page heading: shared with the party portal (web/src/shared/a11y.tsx). */
export { announce, Announcer, PageHeading } from '../shared/a11y';
