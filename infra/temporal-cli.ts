/**
 * Finds the Temporal CLI (which contains the dev server) without downloading anything:
 * TEMPORAL_CLI_PATH, then a `temporal` on PATH, then the per-user cache keyed by version, else builds it
 * there from the Go module proxy. v1.5.1 is pinned: later tags carry a `replace` directive that
 * `go install` refuses. v1.5.1 embeds Temporal server 1.29.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function cachedCliPath(config: Config): string {
  return path.join(config.toolCacheDir, `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

export type CliLocation = { path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'built' };

/** Looks without building. */
export function findTemporalCli(config: Config): CliLocation | undefined {
  if (config.temporal.cliPath) {
    if (!isExecutable(config.temporal.cliPath)) {
      throw new Error(`TEMPORAL_CLI_PATH=${config.temporal.cliPath} is not an executable file`);
    }
    return { path: config.temporal.cliPath, source: 'TEMPORAL_CLI_PATH' };
  }
  for (const dir of config.searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return { path: candidate, source: 'PATH' };
  }
  const cached = cachedCliPath(config);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

/**
 * The first lines of a build, before anything of Go's: a first `npm test` or `npm start` otherwise looks
 * stuck for minutes (issue 18).
 */
export function buildNotice(gobin: string): string[] {
  return [
    `[temporal] building the Temporal CLI ${TEMPORAL_CLI_VERSION} once, into the per-user cache ${gobin}`,
    '[temporal] this takes about 5–10 minutes on two cores; later runs reuse it and start at once',
    `[temporal] to skip it: Ctrl-C, then run again with TEMPORAL_CLI_PATH set to an existing \`temporal\` ${TEMPORAL_CLI_VERSION} binary`,
  ];
}

/** Looks, and builds into the per-user cache when nothing is found. Prints what it does. */
export async function ensureTemporalCli(
  config: Config,
  log: (line: string) => void = (l) => console.log(l),
): Promise<CliLocation> {
  const found = findTemporalCli(config);
  if (found) return found;

  const target = cachedCliPath(config);
  const gobin = path.dirname(target);
  const go = findGo(config);
  if (!go) {
    throw new Error(
      `The Temporal CLI was not found (TEMPORAL_CLI_PATH unset, no 'temporal' on PATH, nothing at ${target}) ` +
        `and Go is not installed to build it. Install Go 1.23+ or set TEMPORAL_CLI_PATH to a temporal ${TEMPORAL_CLI_VERSION} binary.`,
    );
  }
  mkdirSync(gobin, { recursive: true });
  for (const line of buildNotice(gobin)) log(line);
  const started = Date.now();
  await goInstall(go, [MODULE], gobin, (packages) =>
    log(`[temporal] still building (${Math.round((Date.now() - started) / 1000)}s, ${packages} packages compiled)`),
  );
  if (!isExecutable(target)) throw new Error(`go install finished but ${target} is missing`);
  log(`[temporal] built in ${Math.round((Date.now() - started) / 1000)}s: ${target}`);
  return { path: target, source: 'built' };
}

/** `go install` with cgo off (static binaries), reporting progress every 15 s. */
export function goInstall(
  go: string,
  modules: string[],
  gobin: string,
  progress: (packages: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', '-v', ...modules], {
      // The child inherits the environment so Go's own settings (module proxy, caches) apply.
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastLines: string[] = [];
    let packages = 0;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lastLines = [...lastLines.slice(-20), line];
        if (!line.startsWith('go: downloading')) packages += 1;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const ticker = setInterval(() => progress(packages), 15_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install ${modules.join(' ')} failed with exit code ${code}:\n${lastLines.join('\n')}`));
    });
  });
}

export function findGo(config: Config): string | undefined {
  const dirs = [...config.searchPath.split(path.delimiter).filter(Boolean), '/usr/local/go/bin'];
  return dirs.map((dir) => path.join(dir, 'go')).find(isExecutable);
}
