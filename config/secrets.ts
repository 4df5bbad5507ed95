/**
 * Keys the system needs: personal-data encryption, token signing, document signing, and the embedded
 * PostgreSQL password. In production they come from the environment; elsewhere they are generated on
 * first start into `<DATA_DIR>/secrets.json`, readable only by its owner, and reused after.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './index.js';

export type Secrets = {
  encryptionKey: Buffer;
  tokenSecret: Buffer;
  signingKey: Buffer;
  postgresPassword: string;
};

type Stored = { encryptionKey: string; tokenSecret: string; signingKey: string; postgresPassword: string };

const fresh = (): Stored => ({
  encryptionKey: randomBytes(32).toString('base64'),
  tokenSecret: randomBytes(32).toString('base64'),
  signingKey: randomBytes(32).toString('base64'),
  postgresPassword: randomBytes(18).toString('base64url'),
});

export function secretsFile(config: Config): string {
  return path.join(config.dataDir, 'secrets.json');
}

export function loadSecrets(config: Config): Secrets {
  const fromEnv = config.secrets;
  if (config.env === 'production') {
    const missing = (['encryptionKey', 'tokenSecret', 'signingKey'] as const)
      .filter((k) => !fromEnv[k])
      .map((k) => ({ encryptionKey: 'ENCRYPTION_KEY', tokenSecret: 'TOKEN_SECRET', signingKey: 'SIGNING_KEY' })[k]);
    if (missing.length > 0) {
      throw new Error(`In production these secrets must come from the environment: ${missing.join(', ')}`);
    }
  }
  const file = secretsFile(config);
  let stored: Stored;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
  } else if (config.env === 'production') {
    stored = { ...fresh(), ...(fromEnv as Partial<Stored>) };
  } else {
    stored = fresh();
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const pick = (envValue: string | undefined, storedValue: string) => Buffer.from(envValue ?? storedValue, 'base64');
  return {
    encryptionKey: pick(fromEnv.encryptionKey, stored.encryptionKey),
    tokenSecret: pick(fromEnv.tokenSecret, stored.tokenSecret),
    signingKey: pick(fromEnv.signingKey, stored.signingKey),
    postgresPassword: stored.postgresPassword,
  };
}
