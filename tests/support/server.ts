import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../apps/server/src/http/app.js';
import type { Clock } from '../../apps/server/src/lib/clock.js';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import type { CredentialChecks } from '../../apps/server/src/modules/accounts/credentials.js';
import type { PayoutConfig } from '../../apps/server/src/payout-config.js';
import { createServices, DEFAULT_DASHBOARD_DIR, type ServiceConfig, type Services } from '../../apps/server/src/runtime.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

/** A fixed master key for tests (never used outside them). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7);

export interface TestServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly testDb: TestDatabase;
  /** Base URL once `listen()` was called. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly clock?: Clock;
  /** Serve the built dashboard (true), or the one in this folder. */
  readonly dashboard?: boolean | string;
  readonly publicUrl?: string;
  readonly trustProxy?: boolean;
  readonly reauthWindowSeconds?: number;
  readonly signatureWindowSeconds?: number;
  readonly callbackSourceIps?: readonly string[];
  readonly allowHttpCallbacks?: boolean;
  /** How long a request may take to arrive before 408 (default 30 s, like production). */
  readonly requestTimeoutMs?: number;
  readonly allowHttpRedirects?: boolean;
  /** What the Sandbox page is told about automatic confirmation (the test server runs no worker: default 0). */
  readonly sandboxAutoConfirmSeconds?: number;
  readonly depositStatusLimits?: ServiceConfig['depositStatusLimits'];
  /** Add test-only routes before the app is sealed. */
  readonly configure?: (app: FastifyInstance, services: Services) => void;
  /** Chain payout settings (which networks a node backs); without them every network is simulated. */
  readonly payouts?: PayoutConfig;
  /** Reuse an existing database (e.g. a second "instance" on the same PostgreSQL). */
  readonly database?: TestDatabase;
  /** Observe (count, hold) password and two-factor checks. */
  readonly credentialChecks?: CredentialChecks;
  /** The server's logger; silent unless given (e.g. one writing into a test's buffer). */
  readonly logger?: Logger;
}

/** The real application over a fresh database of `kind`; logs are silenced. */
export async function createTestServer(kind: DatabaseKind, options: TestServerOptions = {}): Promise<TestServer> {
  const testDb = options.database ?? (await createTestDatabase(kind));
  const ownsDatabase = options.database === undefined;
  const services = await createServices(
    testDb.database,
    {
      sessionTtlSeconds: 3600,
      reauthWindowSeconds: options.reauthWindowSeconds ?? 300,
      allowHttpCallbacks: options.allowHttpCallbacks ?? false,
      ...(options.payouts !== undefined ? { payouts: options.payouts } : {}),
      allowHttpRedirects: options.allowHttpRedirects ?? true,
      ...(options.depositStatusLimits === undefined ? {} : { depositStatusLimits: options.depositStatusLimits }),
    },
    TEST_MASTER_KEY,
    options.clock,
    undefined,
    options.credentialChecks === undefined ? {} : { credentialChecks: options.credentialChecks },
  );
  const app = await buildApp({
    logger: options.logger ?? createLogger('silent'),
    services,
    options: {
      version: 'test',
      role: 'all',
      publicUrl: options.publicUrl,
      trustProxy: options.trustProxy ?? false,
      bodyLimitBytes: 64 * 1024,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      sessionTtlSeconds: 3600,
      signatureWindowSeconds: options.signatureWindowSeconds ?? 300,
      callbackSourceIps: options.callbackSourceIps ?? ['127.0.0.2'],
      sandboxAutoConfirmSeconds: options.sandboxAutoConfirmSeconds ?? 0,
      dashboardDir: options.dashboard === true ? DEFAULT_DASHBOARD_DIR : typeof options.dashboard === 'string' ? options.dashboard : undefined,
    },
  });
  options.configure?.(app, services);
  await app.ready();
  const server: TestServer = {
    app,
    services,
    testDb,
    url: '',
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      server.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return server.url;
    },
    close: async () => {
      await app.close();
      await services.detach();
      if (ownsDatabase) await testDb.destroy();
    },
  };
  return server;
}

/**
 * A browser-like client over `app.inject`: keeps the session cookie and sends the CSRF token
 * on mutations, the way the dashboard does.
 */
export class Agent {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
      headers: {
        ...(this.cookie !== undefined ? { cookie: this.cookie } : {}),
        ...(this.csrf !== undefined && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
    });
    const setCookie = response.cookies.find((c) => c.name === 'paygate_session');
    if (setCookie !== undefined) this.cookie = setCookie.value === '' ? undefined : `paygate_session=${setCookie.value}`;
    if (response.statusCode < 300 && String(response.headers['content-type'] ?? '').includes('json')) {
      const json = response.json() as { csrfToken?: unknown };
      if (typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    }
    return response;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body, headers);
  }

  /** Sign up a new BP owner; returns the session document. */
  async signUp(email: string, businessName = 'Acme Ltd', password = 'correct horse battery'): Promise<SessionDoc> {
    const response = await this.post('/api/auth/signup', { email, password, name: email.split('@')[0] ?? 'user', businessName });
    if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
    return response.json() as SessionDoc;
  }

  async logIn(email: string, password = 'correct horse battery', totpCode?: string): Promise<LightMyRequestResponse> {
    return this.post('/api/auth/login', { email, password, ...(totpCode !== undefined ? { totpCode } : {}) });
  }
}

export interface SessionDoc {
  user: { id: string; email: string; name: string; totpEnabled: boolean };
  memberships: { bpId: string; bpName: string; role: string }[];
  activeBpId: string | null;
  csrfToken: string;
  reauthUntil: string | null;
}

/** A moveable clock for throttling, expiry and TOTP tests. */
export class TestClock implements Clock {
  constructor(private current: Date = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}
