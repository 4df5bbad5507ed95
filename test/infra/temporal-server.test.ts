/**
 * The real Temporal server for `npm run start:cluster` (issue 18): its first build says what it does before
 * anything of Go's, a server given by TEMPORAL_SERVER_PATH must be this version with its SQL tool, and the
 * ports the cluster picks are ones the server can record. Nothing here builds or starts the server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import {
  TEMPORAL_SERVER_VERSION,
  assertServerVersion,
  chooseServerPorts,
  ensureTemporalServer,
  findTemporalServer,
} from '../../infra/temporal-server.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'odr-temporal-server-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A shell script standing in for a program. */
function program(dir: string, name: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('building the Temporal server', () => {
  it('when no server is found, then the first lines say it is built once, for how long, and how to skip it', async () => {
    // A `go` that fails at once stands in for the real build, so the test builds nothing.
    const goDir = path.join(scratch, 'go');
    program(goDir, 'go', 'echo "go: stand-in build failed" >&2\nexit 1');
    const cache = mkdtempSync(path.join(scratch, 'cache-'));
    const config = loadConfig({ NODE_ENV: 'test', PATH: goDir, XDG_CACHE_HOME: cache });
    const lines: string[] = [];

    await expect(ensureTemporalServer(config, { log: (l) => lines.push(l) })).rejects.toThrow('stand-in build failed');

    const dir = path.join(cache, 'odr-case-center', `temporal-server-v${TEMPORAL_SERVER_VERSION}`);
    expect(lines).toEqual([
      `[temporal-server] building the Temporal server v${TEMPORAL_SERVER_VERSION} and its SQL tool once, into the per-user cache ${dir}`,
      '[temporal-server] this takes about 5–15 minutes on two cores; later runs reuse it and start at once',
      `[temporal-server] to skip it: Ctrl-C, then run again with TEMPORAL_SERVER_PATH set to an existing temporal-server v${TEMPORAL_SERVER_VERSION} (temporal-sql-tool beside it)`,
    ]);
  });

  it('when TEMPORAL_SERVER_PATH names a server without its SQL tool beside it, then it says which file is missing', () => {
    const config = loadConfig({ NODE_ENV: 'test', XDG_CACHE_HOME: scratch });
    const alone = program(path.join(scratch, 'alone'), 'temporal-server', 'exit 0');
    expect(() => findTemporalServer(config, alone)).toThrow(
      `no executable temporal-sql-tool beside it (${path.join(scratch, 'alone', 'temporal-sql-tool')})`,
    );
  });

  it('when TEMPORAL_SERVER_PATH names another version, then it is refused before it touches a database', async () => {
    const config = loadConfig({ NODE_ENV: 'test', XDG_CACHE_HOME: scratch });
    const dir = path.join(scratch, 'other');
    const server = program(dir, 'temporal-server', 'echo "temporal version 1.30.0"');
    program(dir, 'temporal-sql-tool', 'echo "temporal-sql-tool version 1.30.0"');
    const binaries = findTemporalServer(config, server)!;
    expect(binaries.source).toBe('TEMPORAL_SERVER_PATH');
    await expect(assertServerVersion(binaries)).rejects.toThrow(
      `is not Temporal server ${TEMPORAL_SERVER_VERSION} (it says "temporal version 1.30.0")`,
    );

    const right = program(
      path.join(scratch, 'right'),
      'temporal-server',
      `echo "temporal version ${TEMPORAL_SERVER_VERSION}"`,
    );
    program(
      path.join(scratch, 'right'),
      'temporal-sql-tool',
      `echo "temporal-sql-tool version ${TEMPORAL_SERVER_VERSION}"`,
    );
    await expect(assertServerVersion(findTemporalServer(config, right)!)).resolves.toBeUndefined();
  });
});

describe("the cluster server's ports", () => {
  it('when the ports are chosen, then the frontend is the one asked for and the rest are free and below 32768', async () => {
    // The server records membership ports in a smallint column: an ephemeral port (above 32767) stops it at start.
    for (const frontend of [7233, 40_000]) {
      const ports = await chooseServerPorts(frontend);
      expect(ports.frontend).toBe(frontend);
      const others = [
        ports.frontendHttp,
        ports.frontendMembership,
        ...ports.history,
        ...ports.matching,
        ...ports.worker,
      ];
      expect(new Set([frontend, ...others]).size).toBe(9);
      for (const port of [ports.frontendMembership, ports.history[1], ports.matching[1], ports.worker[1]])
        expect(port).toBeLessThan(32_768);
    }
  });

  it('when a port after the frontend is taken, then the cluster takes the next free one', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const busy = (taken.address() as net.AddressInfo).port;
    try {
      const ports = await chooseServerPorts(busy - 1);
      expect(ports.frontendHttp).not.toBe(busy);
      expect([ports.history[0], ports.matching[0], ports.worker[0]]).not.toContain(busy);
    } finally {
      taken.close();
    }
  });
});
