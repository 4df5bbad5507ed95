import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';

describe('configuration', () => {
  it('when nothing is set, then the embedded defaults apply', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
    expect(c.temporal.address).toBeUndefined();
    expect(c.temporal.taskQueue).toBe('mediation-cases');
  });

  it('when variables are wrong, then the error names each of them', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ENCRYPTION_KEY: 'short', NODE_ENV: 'staging' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const vars = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(vars).toEqual(['DATABASE_URL', 'ENCRYPTION_KEY', 'NODE_ENV', 'PORT']);
    expect((error as Error).message).toContain('ENCRYPTION_KEY: must be 32 bytes');
  });

  it('when an SMS gateway is named without its signing secret, then the secret is asked for', () => {
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'https://sms.example.org/send' })).toThrow(
      /SMS_GATEWAY_SECRET: is required/,
    );
    expect(loadConfig({ SMS_GATEWAY_URL: 'https://sms.example.org/send', SMS_GATEWAY_SECRET: 's' }).smsGateway).toEqual(
      { url: 'https://sms.example.org/send', secret: 's' },
    );
    expect(loadConfig({}).smsGateway).toBeUndefined();
  });

  it('when production names an SMS gateway over plain http on another host, then it is refused (numbers and codes would cross the network in clear)', () => {
    const gateway = (url: string) => ({ NODE_ENV: 'production', SMS_GATEWAY_URL: url, SMS_GATEWAY_SECRET: 's' });
    expect(() => loadConfig(gateway('http://sms.example.org/send'))).toThrow(
      /SMS_GATEWAY_URL: must be https in production/,
    );
    expect(() => loadConfig(gateway('HTTP://sms.example.org/send'))).toThrow(
      /SMS_GATEWAY_URL: must be https in production/,
    );
    expect(() => loadConfig(gateway('http://'))).toThrow(ConfigError);
    expect(loadConfig(gateway('https://sms.example.org/send')).smsGateway?.url).toBe('https://sms.example.org/send');
    expect(loadConfig(gateway('http://127.0.0.1:8090/send')).smsGateway?.url).toBe('http://127.0.0.1:8090/send');
    expect(loadConfig({ SMS_GATEWAY_URL: 'http://sms.internal/send', SMS_GATEWAY_SECRET: 's' }).smsGateway?.url).toBe(
      'http://sms.internal/send',
    );
  });

  it('when START_WORKER or START_API is false, then npm start leaves that part out; anything but true or false is refused', () => {
    expect(loadConfig({}).start).toEqual({ worker: true, api: true });
    expect(loadConfig({ START_WORKER: 'false' }).start).toEqual({ worker: false, api: true });
    expect(loadConfig({ START_API: 'false', START_WORKER: 'true' }).start).toEqual({ worker: true, api: false });
    expect(() => loadConfig({ START_WORKER: 'no', START_API: '0' })).toThrow(/START_WORKER: .*\n.*START_API: /s);
  });

  it('when a database and a Temporal server are given, then they are used as they are', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/odr', TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(c.database.url).toBe('postgres://u:p@db:5432/odr');
    expect(c.temporal.address).toBe('temporal:7233');
  });
});
