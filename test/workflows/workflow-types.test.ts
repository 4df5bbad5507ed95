/**
 * The API and the schedules start workflows by type name (workflows/messages.ts); the worker registers the
 * functions workflows/index.ts exports under their own names. A renamed function would leave every start by
 * the old name waiting for a worker that never comes; this says so at once.
 */
import { describe, expect, it } from 'vitest';
import * as workflows from '../../workflows/index.js';
import * as messages from '../../workflows/messages.js';

describe('workflow type names', () => {
  it('when the API names a workflow type, then the worker registers a workflow by that name, and every registered workflow is named', () => {
    const named = Object.entries(messages)
      .filter(([key]) => key.endsWith('WORKFLOW_TYPE'))
      .map(([, value]) => value as string);
    const registered = Object.entries(workflows)
      .filter(([, value]) => typeof value === 'function')
      .map(([key]) => key);
    expect([...named].sort()).toEqual([...registered].sort());
    for (const [key, value] of Object.entries(workflows)) expect((value as { name: string }).name, key).toBe(key);
  });
});
