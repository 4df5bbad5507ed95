/**
 * The webhook SSRF guard checks the address a delivery actually connects to: a host name that passed the
 * check at registration (or a moment before) and then resolves to an internal address (DNS rebinding) is
 * refused when the socket would connect, before a byte is sent. Resolution is injected, so no test needs DNS.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  WebhookTargetRefused,
  guardedLookup,
  postWebhook,
  webhookTargetProblem,
  type ResolveHost,
} from '../../infra/webhooks.js';

/** A resolver that answers each call with the next of these answers (the last one from then on). */
function rebinding(...answers: string[][]): ResolveHost & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A TCP listener on 127.0.0.1 that only counts the connections it gets. */
async function countingListener(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

type Received = { headers: IncomingHttpHeaders; body: string };

/** An HTTP receiver on 127.0.0.1 answering every request with `status` (or never, for `null`). */
async function receiver(status: number | null): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (status !== null) res.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, received };
}

const post = (url: string, opts: { allowInternal: boolean; resolve?: ResolveHost; timeoutMs?: number }) =>
  postWebhook(url, {
    headers: { 'content-type': 'application/json', 'X-ODR-Delivery': 'd-1' },
    body: '{"deliveryId":"d-1"}',
    allowInternal: opts.allowInternal,
    timeoutMs: opts.timeoutMs ?? 5_000,
    resolve: opts.resolve,
  });

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookTargetRefused);
  return (err as WebhookTargetRefused).problem;
}

/** Runs the lookup as the socket does and returns what it handed over. */
function lookUp(
  lookup: ReturnType<typeof guardedLookup>,
  hostname: string,
  options: { all?: boolean; family?: number },
): Promise<{ err: Error | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) =>
    lookup(hostname, options, (err, address, family) => resolve({ err, address, family })),
  );
}

describe('the webhook guard at connect time', () => {
  it('when a host passed the check and then resolves to a private address, then the connection is refused and nothing is sent', async () => {
    const listener = await countingListener();
    const resolve = rebinding(['203.0.113.7'], ['127.0.0.1']);
    const url = `https://hooks.example.test:${listener.port}/notify`;
    expect(await webhookTargetProblem(url, { allowInternal: false, resolve })).toBeUndefined();
    expect(await refusal(post(url, { allowInternal: false, resolve }))).toBe('an internal address');
    expect(resolve.calls).toEqual(['hooks.example.test', 'hooks.example.test']);
    expect(listener.connections()).toBe(0);
  });

  it.each([
    [['10.0.0.5']],
    [['169.254.169.254']],
    [['203.0.113.7', '192.168.1.20']],
    [['::1']],
    [['fd00::1']],
    [['::ffff:127.0.0.1']],
    [['224.0.0.1']],
  ])('when a host resolves to %j, then the socket gets no address', async (answer) => {
    const result = await lookUp(guardedLookup({ allowInternal: false, resolve: rebinding(answer) }), 'h.test', {
      all: true,
    });
    expect(result.err).toBeInstanceOf(WebhookTargetRefused);
    expect((result.err as WebhookTargetRefused).problem).toBe('an internal address');
  });

  it('when a host resolves to public addresses, then the socket is handed exactly those addresses', async () => {
    const lookup = guardedLookup({ allowInternal: false, resolve: rebinding(['203.0.113.7', '2001:db8::7']) });
    expect(await lookUp(lookup, 'h.test', { all: true })).toEqual({
      err: null,
      address: [
        { address: '203.0.113.7', family: 4 },
        { address: '2001:db8::7', family: 6 },
      ],
      family: undefined,
    });
    expect(await lookUp(lookup, 'h.test', {})).toEqual({ err: null, address: '203.0.113.7', family: 4 });
    expect(await lookUp(lookup, 'h.test', { family: 6 })).toEqual({ err: null, address: '2001:db8::7', family: 6 });
  });

  it('when a host resolves to a public address, then the delivery goes on to connect (it is not refused)', async () => {
    // 203.0.113.7 is a documentation address: the connection fails or times out, but it is tried.
    const err = await post('https://hooks.example.test/notify', {
      allowInternal: false,
      resolve: rebinding(['203.0.113.7']),
      timeoutMs: 300,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(WebhookTargetRefused);
  });

  it('when a host does not resolve, then the delivery is refused as unresolvable', async () => {
    const failing: ResolveHost = () => Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    expect(await refusal(post('https://nowhere.example.test/', { allowInternal: false, resolve: failing }))).toBe(
      'unresolvable',
    );
  });

  it.each([
    ['http://203.0.113.7/hook', 'not https'],
    ['https://user:pw@203.0.113.7/hook', 'credentials in the URL'],
    ['https://127.0.0.1:1/hook', 'an internal address'],
    ['https://[::ffff:127.0.0.1]:1/hook', 'an internal address'],
    ['https://[fe80::1]:1/hook', 'an internal address'],
    ['not a url', 'not a URL'],
  ])('when the URL is %s in production, then it is refused before connecting (%s)', async (url, problem) => {
    expect(await refusal(post(url, { allowInternal: false }))).toBe(problem);
  });
});

describe('the webhook guard where internal addresses are allowed (development and tests)', () => {
  it('when the URL is http://127.0.0.1, then the signed body is delivered and the status answered', async () => {
    const hook = await receiver(204);
    expect(await post(`http://127.0.0.1:${hook.port}/hook`, { allowInternal: true })).toBe(204);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.body).toBe('{"deliveryId":"d-1"}');
    expect(hook.received[0]!.headers['x-odr-delivery']).toBe('d-1');
    expect(hook.received[0]!.headers['content-type']).toBe('application/json');
  });

  it('when a host name is used, then the connection goes to the address the guard resolved', async () => {
    const hook = await receiver(200);
    const resolve = rebinding(['127.0.0.1']);
    expect(await post(`http://hooks.example.test:${hook.port}/hook`, { allowInternal: true, resolve })).toBe(200);
    expect(resolve.calls).toEqual(['hooks.example.test']);
    expect(hook.received[0]!.headers.host).toBe(`hooks.example.test:${hook.port}`);
  });

  it('when the receiver redirects, then the redirect is answered, not followed', async () => {
    const hook = await receiver(302);
    expect(await post(`http://127.0.0.1:${hook.port}/hook`, { allowInternal: true })).toBe(302);
    expect(hook.received).toHaveLength(1);
  });

  it('when the receiver does not answer in time, then the delivery fails with a TimeoutError', async () => {
    const hook = await receiver(null);
    const err = await post(`http://127.0.0.1:${hook.port}/hook`, { allowInternal: true, timeoutMs: 200 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('TimeoutError');
  });
});
