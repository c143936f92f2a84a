import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('loadConfig', () => {
  it('defaults to the embedded database in development with the demo seed on', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.env).toBe('development');
    expect(config.demoSeed).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.role).toBe('all');
    expect(config.trustProxy).toBe(false);
  });

  it('switches to PostgreSQL and production defaults when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/paygate', PAYGATE_MASTER_KEY: KEY });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/paygate', poolSize: 10 });
    expect(config.env).toBe('production');
    expect(config.demoSeed).toBe(false);
  });

  it('requires the master key with DATABASE_URL, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db/paygate' })).toThrow(/PAYGATE_MASTER_KEY: required when DATABASE_URL is set/);
  });

  it('seeds the demo on PostgreSQL only when asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/p', PAYGATE_MASTER_KEY: KEY, PAYGATE_DEMO_SEED: 'true' }).demoSeed).toBe(true);
  });

  it('lists every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', PAYGATE_ROLE: 'boss', PAYGATE_MASTER_KEY: 'short', DATABASE_URL: 'mysql://x' });
      expect.unreachable('loadConfig accepted an invalid environment');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'PAYGATE_ROLE', 'PAYGATE_MASTER_KEY', 'DATABASE_URL']) expect(problems).toContain(name);
    }
  });

  it('refuses a renamed variable and a callback in-flight limit below the batch size, naming the fix', () => {
    expect(() => loadConfig({ PAYGATE_CALLBACK_CONNECTIONS_PER_ORIGIN: '8' })).toThrow(
      /PAYGATE_CALLBACK_CONNECTIONS_PER_ORIGIN: renamed; set PAYGATE_CALLBACK_REQUESTS_PER_URL instead/,
    );
    expect(() => loadConfig({ PAYGATE_CALLBACK_BATCH_SIZE: '300', PAYGATE_CALLBACK_MAX_IN_FLIGHT: '200' })).toThrow(
      /PAYGATE_CALLBACK_MAX_IN_FLIGHT: must be at least PAYGATE_CALLBACK_BATCH_SIZE \(300\)/,
    );
    const tuned = loadConfig({ PAYGATE_CALLBACK_REQUESTS_PER_URL: '8', PAYGATE_CALLBACK_BATCH_SIZE: '50', PAYGATE_CALLBACK_MAX_IN_FLIGHT: '50' });
    expect([tuned.callbackRequestsPerUrl, tuned.callbackBatchSize, tuned.callbackMaxInFlight]).toEqual([8, 50, 50]);
    expect(() => loadConfig({ PAYGATE_CALLBACK_REQUESTS_PER_URL: '0' })).toThrow(/PAYGATE_CALLBACK_REQUESTS_PER_URL/);
  });

  it('closes stalled requests after 30 s by default; the limit is configurable within 1 s – 1 h', () => {
    expect(loadConfig({}).requestTimeoutSeconds).toBe(30);
    expect(loadConfig({ PAYGATE_REQUEST_TIMEOUT_SECONDS: '5' }).requestTimeoutSeconds).toBe(5);
    for (const bad of ['0', '3601', 'soon']) expect(() => loadConfig({ PAYGATE_REQUEST_TIMEOUT_SECONDS: bad })).toThrow(/PAYGATE_REQUEST_TIMEOUT_SECONDS/);
  });

  it('treats empty strings as unset and parses proxy trust lists', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' }).port).toBe(3000);
    expect(loadConfig({ PAYGATE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(loadConfig({ PAYGATE_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });
});
