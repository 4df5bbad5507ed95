/**
 * The one logger (infra/logger.ts), pure: no server, each line caught as written. It lives with the domain
 * suite because that is what the unit tier (`npm run test:unit`) runs.
 */
import { describe, expect, it } from 'vitest';
import { CENSOR, createLogger, lineSink, logTo, temporalLogger, type LogLevel } from '../../infra/logger.js';

// Fictional (docs/personal-data.md): a 1900 birth date with a valid check digit, a number from the 170 range.
const ID_NUMBER = '445202190001011239';
const PHONE = '17000001234';
const NAME = '欧阳晓燕';
const ADDRESS = '揭阳市榕城区某某路3号';

function capture(level: LogLevel = 'debug') {
  const raw: string[] = [];
  const logger = createLogger({ level, service: 'api', destination: { write: (line: string) => void raw.push(line) } });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, any>);
  return { logger, raw, lines };
}

describe('the logger', () => {
  it('when a line carries names, ID numbers, phones and addresses in nested fields, then each is written as [redacted]', () => {
    const { logger, raw, lines } = capture();
    logTo(logger)('case registered', {
      level: 'info',
      caseId: 'c-1',
      phone: PHONE,
      applicant: { name: NAME, idNumber: ID_NUMBER, phone: PHONE, address: ADDRESS },
      input: { parties: [{ role: 'applicant', name: NAME, idNumber: ID_NUMBER, guardian: { name: NAME } }] },
      deep: { a: { b: { c: { d: { e: { f: { phone: PHONE } } } } } } },
      req: { headers: { authorization: 'Bearer secret-token', cookie: 'sid=secret-session' } },
      sms: { body: `您的验证码 123456，${NAME}`, code: '123456' },
    });
    const text = raw.join('');
    for (const secret of [NAME, ID_NUMBER, PHONE, ADDRESS, 'secret-token', 'secret-session', '123456'])
      expect(text).not.toContain(secret);
    const [line] = lines();
    expect(line).toMatchObject({
      msg: 'case registered',
      caseId: 'c-1',
      phone: CENSOR,
      applicant: { name: CENSOR, idNumber: CENSOR, phone: CENSOR, address: CENSOR },
      input: { parties: [{ role: 'applicant', name: CENSOR, idNumber: CENSOR, guardian: CENSOR }] },
      deep: { a: { b: { c: { d: { e: { f: { phone: CENSOR } } } } } } },
      req: { headers: { authorization: CENSOR, cookie: CENSOR } },
      sms: { body: CENSOR, code: CENSOR },
    });
  });

  it("when an error carries PostgreSQL's detail quoting a row, then the detail is redacted and the rest kept", () => {
    const { logger, raw, lines } = capture();
    const error = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: `Key (phone)=(${PHONE}) already exists.`,
    });
    logger.warn({ err: error, cause: { error } }, 'insert failed');
    expect(raw.join('')).not.toContain(PHONE);
    expect(lines()[0]).toMatchObject({
      err: { type: 'Error', message: 'duplicate key value violates unique constraint', detail: CENSOR },
      cause: { error: { type: 'Error', detail: CENSOR } },
    });
  });

  it('when a child logger is bound to personal data, then its bindings are redacted too', () => {
    const { logger, raw } = capture();
    logger.child({ party: { name: NAME, phone: PHONE } }).warn('bound');
    expect(raw.join('')).not.toContain(NAME);
    expect(raw.join('')).not.toContain(PHONE);
  });

  it('when a line is written, then it is one JSON line with an ISO time, the level as a word, the service and msg', () => {
    const { logger, raw, lines } = capture();
    logger.info({ requestId: 'r-1' }, 'request');
    expect(raw).toHaveLength(1);
    expect(raw[0]!.endsWith('\n')).toBe(true);
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', service: 'api', msg: 'request', requestId: 'r-1' });
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
  });

  it('when the level is warn, then debug and info lines are dropped and warn and error lines kept; silent keeps none', () => {
    const { logger, lines } = capture('warn');
    const log = logTo(logger);
    log('debug line', { level: 'debug' });
    log('info line', { level: 'info' });
    log('no level is info', {});
    log('warn line', { level: 'warn' });
    log('error line', { level: 'error' });
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'warn line'],
      ['error', 'error line'],
    ]);
    const silent = capture('silent');
    logTo(silent.logger)('error line', { level: 'error' });
    silent.logger.error('error line');
    expect(silent.raw).toEqual([]);
  });

  it('when fields carry a level, then it picks the method and the line has a single level key', () => {
    const { logger, raw } = capture();
    logTo(logger)('dependency unavailable', { level: 'warn', error: 'ConnectionError' });
    expect(raw[0]!.match(/"level":/g)).toHaveLength(1);
    expect(JSON.parse(raw[0]!)).toMatchObject({ level: 'warn', error: 'ConnectionError' });
  });

  it('when lines go to a (msg, fields) sink, then each arrives redacted with its level as a word', () => {
    const got: { msg: string; fields: Record<string, unknown> }[] = [];
    const logger = createLogger({
      level: 'info',
      service: 'api',
      destination: lineSink((msg, fields) => got.push({ msg, fields })),
    });
    logTo(logger)('request', { level: 'error', requestId: 'r-2', route: '/cases/:caseId', status: 500, phone: PHONE });
    expect(got).toEqual([
      {
        msg: 'request',
        fields: expect.objectContaining({ level: 'error', requestId: 'r-2', route: '/cases/:caseId', phone: CENSOR }),
      },
    ]);
  });
});

describe("the Temporal SDK's logger", () => {
  it('when a workflow logs, then its workflowId, runId and workflowType are fields of the line', () => {
    const { logger, lines } = capture('info');
    const temporal = temporalLogger(logger);
    temporal.info('Workflow completed', {
      sdkComponent: 'workflow',
      namespace: 'default',
      taskQueue: 'cases',
      workflowId: 'case-2026-0001',
      runId: 'run-1',
      workflowType: 'mediationCase',
      [Symbol('timestamp')]: 1n,
    });
    temporal.log('WARN', 'Activity failed', {
      sdkComponent: 'activity',
      workflowId: 'case-2026-0001',
      activityId: '7',
      activityType: 'registerCase',
      error: new Error('connection refused'),
    });
    temporal.debug('Activity started', { activityId: '8' });
    temporal.trace('Got activity task', { activityId: '9' });
    const [completed, failed, ...rest] = lines();
    expect(completed).toMatchObject({
      level: 'info',
      msg: 'Workflow completed',
      service: 'api',
      sdkComponent: 'workflow',
      workflowId: 'case-2026-0001',
      runId: 'run-1',
      workflowType: 'mediationCase',
    });
    expect(failed).toMatchObject({
      level: 'warn',
      workflowId: 'case-2026-0001',
      activityId: '7',
      activityType: 'registerCase',
      error: { type: 'Error', message: 'connection refused' },
    });
    // Below the logger's level: not written.
    expect(rest).toEqual([]);
  });

  it('when an activity logs personal data in its metadata, then it is redacted like any line', () => {
    const { logger, raw } = capture('info');
    temporalLogger(logger).error('text not delivered', { workflowId: 'sms-1', to: { phone: PHONE }, text: NAME });
    expect(raw.join('')).not.toContain(PHONE);
    expect(raw.join('')).not.toContain(NAME);
    expect(raw.join('')).toContain('sms-1');
  });
});
