/**
 * The task queues a case's work runs on. Documents render on a queue of their own next to the case's, so
 * rendering (CPU-bound layout and font subsetting) is bounded by the workers that poll it
 * (`DOCUMENT_CONCURRENCY` each) and scales by running more of them, never holding up a case's other work.
 * No imports: workflows, workers and tests all read it.
 */
export function documentsTaskQueue(caseTaskQueue: string): string {
  return `${caseTaskQueue}-documents`;
}
