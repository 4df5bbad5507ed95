/**
 * The case screen's query keys, shared by its tabs: an upload or an action refreshes what it changed. Full
 * personal data has no key: it is never put in the query cache (PartiesTab's dialog holds it while open).
 */
export const caseKey = (caseId: string) => ['case', caseId] as const;
export const materialsKey = (caseId: string) => ['materials', caseId] as const;
export const documentsKey = (caseId: string) => ['documents', caseId] as const;
export const deadlinesKey = (caseId: string) => ['deadlines', caseId] as const;
export const deliveriesKey = (caseId: string) => ['deliveries', caseId] as const;
