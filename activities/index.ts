/**
 * Activities: the workflow's only way to touch the world. Built from explicit dependencies; every write
 * is idempotent (keyed by case id and event sequence), so Temporal may retry any of them safely.
 */
import type { Knex } from 'knex';
import type { CaseEvent, CaseIntake, CaseStatus } from '../domain/case.js';
import { appendCaseEvents, registerCaseRecord } from '../db/cases.js';
import type { FieldCipher } from '../infra/crypto.js';

export type ActivityDeps = { db: Knex; cipher: FieldCipher };

export function createActivities({ db, cipher }: ActivityDeps) {
  return {
    /** Writes the case row, its parties (personal data encrypted) and its first event. */
    async registerCase(input: { intake: CaseIntake; event: CaseEvent; workflowId: string }): Promise<{ caseNumber: string }> {
      const { caseNumber } = await registerCaseRecord(db, cipher, input);
      return { caseNumber };
    },

    /** Appends events to the case's chain and moves the projection. */
    async recordCaseEvents(input: { caseId: string; events: CaseEvent[]; status: CaseStatus }): Promise<void> {
      await db.transaction((trx) => appendCaseEvents(trx, input.caseId, input.events, input.status));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
