/**
 * The first `npm test` or `npm start` builds the Temporal CLI for minutes: its first lines say so, how long
 * it takes and how to skip it, before anything of Go's (issue 18).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { TEMPORAL_CLI_VERSION, ensureTemporalCli } from '../../infra/temporal-cli.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'odr-temporal-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('building the Temporal CLI', () => {
  it('when no CLI is found, then the first lines say it is built once, for how long, and how to skip it', async () => {
    // A `go` that fails at once stands in for the real build, so the test builds nothing.
    const goDir = mkdtempSync(path.join(scratch, 'go-'));
    writeFileSync(path.join(goDir, 'go'), '#!/bin/sh\necho "go: stand-in build failed" >&2\nexit 1\n', { mode: 0o755 });
    const cache = mkdtempSync(path.join(scratch, 'cache-'));
    const config = loadConfig({ NODE_ENV: 'test', PATH: goDir, XDG_CACHE_HOME: cache });
    const lines: string[] = [];

    await expect(ensureTemporalCli(config, (l) => lines.push(l))).rejects.toThrow('stand-in build failed');

    const gobin = path.join(cache, 'odr-case-center', `temporal-${TEMPORAL_CLI_VERSION}`);
    expect(lines).toEqual([
      `[temporal] building the Temporal CLI ${TEMPORAL_CLI_VERSION} once, into the per-user cache ${gobin}`,
      '[temporal] this takes about 5–10 minutes on two cores; later runs reuse it and start at once',
      `[temporal] to skip it: Ctrl-C, then run again with TEMPORAL_CLI_PATH set to an existing \`temporal\` ${TEMPORAL_CLI_VERSION} binary`,
    ]);
  });
});
