/** Which failures are an outage (503, retry) and which are a fault of ours (500): the client retries only the first. */
import { describe, expect, it } from 'vitest';
import { Problem, errorHandler, isDependencyOutage } from '../../api/problem.js';
import { boundedCall } from '../../api/routes/cases/workflow-calls.js';
import type { CasesDeps } from '../../api/routes/cases/context.js';

/** What Temporal's client throws when the server refuses an update while the workflow task keeps failing. */
function workflowTaskFailing(): Error {
  return Object.assign(new Error('Workflow Update failed'), {
    name: 'ServiceError',
    cause: Object.assign(
      new Error(
        '9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.',
      ),
      { code: 9 },
    ),
  });
}

describe('dependency outages', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    [
      'PostgreSQL refuses the connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['PostgreSQL shuts down (admin shutdown)', pgError('57P01')],
    ['PostgreSQL is starting up', pgError('57P03', 'the database system is starting up')],
    ['the connection is lost mid-query (class 08)', pgError('08006')],
    ['the connection ends unexpectedly', new Error('Connection terminated unexpectedly')],
    [
      'the pool has no connection in time',
      Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }),
    ],
    [
      'Temporal is unavailable (gRPC 14), wrapped in a cause',
      new Error('update failed', { cause: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) }),
    ],
    [
      'no worker polls the task queue (gRPC 9), wrapped as the client wraps it',
      Object.assign(new Error('Failed to query workflow'), {
        name: 'ServiceError',
        cause: Object.assign(new Error('9 FAILED_PRECONDITION: no poller seen for task queue recently'), { code: 9 }),
      }),
    ],
    [
      "the case's workflow task failed twice, a worker killed mid-step (gRPC 9), wrapped as the client wraps it",
      workflowTaskFailing(),
    ],
    [
      'our own deadline cancelled the call (gRPC 1)',
      Object.assign(new Error('1 CANCELLED: Call cancelled: deadline exceeded'), { code: 1 }),
    ],
  ])('when %s, then it is an outage', (_name, err) => {
    expect(isDependencyOutage(err)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error in our SQL', pgError('42601')],
    ['a type error in our code', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['Temporal says not found (gRPC 5)', Object.assign(new Error('5 NOT_FOUND'), { code: 5 })],
    ['Temporal refuses the request as invalid (gRPC 3)', Object.assign(new Error('3 INVALID_ARGUMENT'), { code: 3 })],
    [
      'a workflow refuses an update for another precondition (gRPC 9)',
      Object.assign(new Error('9 FAILED_PRECONDITION: workflow execution already completed'), { code: 9 }),
    ],
    ['nothing at all', undefined],
  ])('when %s, then it is not an outage', (_name, err) => {
    expect(isDependencyOutage(err)).toBe(false);
  });
});

describe('a fault of ours', () => {
  it('when a request fails for a reason that is not an outage, then the log names its code and causes, scrubbed, and the answer a 500 without them', () => {
    const logged: Record<string, unknown>[] = [];
    const sent: { status?: number; body?: Record<string, unknown> } = {};
    const res = {
      headersSent: false,
      locals: { requestId: 'r-1' },
      setHeader: () => res,
      status: (s: number) => ((sent.status = s), res),
      type: () => res,
      json: (b: Record<string, unknown>) => ((sent.body = b), res),
    };
    const phone = '13800138000';
    const err = new Error('update failed', {
      cause: Object.assign(new Error(`duplicate key for ${phone}`), { name: 'DatabaseError', code: '23505' }),
    });
    const req = { method: 'POST', originalUrl: '/cases/x/sessions', route: { path: '/:caseId/sessions' } };
    errorHandler((msg, fields) => logged.push({ msg, ...fields }))(err, req as never, res as never, () => undefined);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'unhandled error',
        level: 'error',
        requestId: 'r-1',
        causes: [expect.stringMatching(/^DatabaseError \(23505\): duplicate key for /)],
      }),
    ]);
    expect(JSON.stringify(logged)).not.toContain(phone);
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toMatch(/23505|duplicate/);
  });
});

describe('an action on a case whose process cannot take it now', () => {
  const deps = { temporal: { withDeadline: <T>(_deadline: number, call: () => Promise<T>) => call() } };
  const refusal = async (err: unknown) =>
    boundedCall(deps as unknown as CasesDeps, () => Promise.reject(err)).then(
      () => undefined,
      (e: unknown) => e,
    );

  it('when Temporal refuses the update because the workflow task keeps failing, then the answer is a 503 to retry with the same key, saying nothing was changed', async () => {
    const problem = await refusal(workflowTaskFailing());
    expect(problem).toBeInstanceOf(Problem);
    expect(problem).toMatchObject({ status: 503, code: 'action-not-taken-up', extra: { retryAfterSeconds: 5 } });
    expect((problem as Problem).detail).toMatch(/nothing was changed.*same Idempotency-Key/);
  });

  it('when no worker polls, then the answer is a 503 saying how long it waited', async () => {
    const problem = await refusal(
      Object.assign(new Error('Failed to query workflow'), {
        cause: Object.assign(new Error('9 FAILED_PRECONDITION: no poller seen for task queue recently'), { code: 9 }),
      }),
    );
    expect(problem).toMatchObject({ status: 503, code: 'action-not-taken-up' });
    expect((problem as Problem).detail).toMatch(/no worker took the action up within 10 s/);
  });

  it('when Temporal refuses for another precondition, then the error passes on (a fault of ours, 500)', async () => {
    const err = Object.assign(new Error('9 FAILED_PRECONDITION: workflow execution already completed'), { code: 9 });
    expect(await refusal(err)).toBe(err);
  });
});
