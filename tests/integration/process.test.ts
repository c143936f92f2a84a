import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Paygate, PaygateApiError } from '@paygate/sdk';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../apps/server/src/db/migrate.js';
import { createPostgresDatabase } from '../support/databases.js';
import { TEST_DATABASE_URL } from '../support/environment.js';
import { HttpAgent } from '../support/http-agent.js';
import { freePort, PaygateProcess } from '../support/process.js';

/** Structural OpenAPI 3.1 checks: every operation answers something and every $ref resolves. */
function assertValidOpenApi(doc: Record<string, unknown>): void {
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.info).toMatchObject({ title: 'Paygate API' });
  const paths = doc.paths as Record<string, Record<string, { responses?: Record<string, unknown>; summary?: string }>>;
  expect(Object.keys(paths)).toEqual(
    expect.arrayContaining(['/healthz', '/readyz', '/api/auth/signup', '/api/auth/login', '/api/bps/{bpId}/members', '/api/bps/{bpId}/audit-log']),
  );
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      expect(Object.keys(operation.responses ?? {}).length, `${method} ${path} has responses`).toBeGreaterThan(0);
    }
  }
  const text = JSON.stringify(doc);
  for (const match of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
    let node: unknown = doc;
    for (const part of (match[1] ?? '').split('/')) node = (node as Record<string, unknown> | undefined)?.[part];
    expect(node, `$ref #/${match[1]} resolves`).toBeDefined();
  }
  expect((doc.components as { schemas: Record<string, unknown> }).schemas).toHaveProperty('Problem');
}

async function signUp(url: string, email: string): Promise<Response> {
  return fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', name: 'Proc', businessName: 'Process Ltd' }),
  });
}

describe('the paygate CLI on the embedded database', () => {
  it('starts with one command, serves health, docs and metrics, keeps data across a restart, and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paygate-embedded-'));
    const port = await freePort();
    const first = new PaygateProcess(port, { DATA_DIR: dataDir });
    try {
      await first.ready();
      expect(first.output).toContain('Demo account created');
      const demoPassword = /password\s+(\S+)/.exec(first.output)?.[1] ?? '';
      expect(demoPassword.length).toBeGreaterThanOrEqual(12);
      expect(first.output).toContain('generated a new master key');
      expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);

      expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok', role: 'all' });
      expect(await (await fetch(`${first.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
      assertValidOpenApi((await (await fetch(`${first.url}/openapi.json`)).json()) as Record<string, unknown>);
      const home = await fetch(`${first.url}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toContain('text/html');
      const homeHtml = await home.text();
      expect(homeHtml).toContain('<div id="root">');
      // Client-side routes of the dashboard load the same page.
      expect(await (await fetch(`${first.url}/developers/team`)).text()).toBe(homeHtml);
      const docs = await fetch(`${first.url}/docs/`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger');

      const created = await signUp(first.url, 'survivor@example.com');
      expect(created.status).toBe(201);
      const metrics = await fetch(`${first.url}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const metricsText = await metrics.text();
      expect(metricsText).toMatch(/paygate_http_request_duration_seconds_bucket\{[^}]*route="\/api\/auth\/signup"[^}]*status_code="201"/);
      expect(metricsText).toContain('paygate_process_cpu_seconds_total');
      expect(metricsText).toContain('# TYPE paygate_http_request_duration_seconds histogram');

      const logLines = first.output.split('\n').filter((l) => l.includes('"path":"/api/auth/signup"'));
      expect(logLines.length).toBeGreaterThan(0);
      for (const line of logLines) expect(line).toMatch(/"requestId":"req_/);
      expect(first.output).not.toContain('correct horse battery');
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(first.output).toContain('shutting down');
    } finally {
      await first.stop('SIGKILL');
    }

    const second = new PaygateProcess(port, { DATA_DIR: dataDir });
    try {
      await second.ready();
      expect(second.output).not.toContain('Demo account created');
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'survivor@example.com', password: 'correct horse battery' }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { memberships: { bpName: string }[] }).memberships[0]?.bpName).toBe('Process Ltd');
      expect(readFileSync(join(dataDir, 'master.key'), 'utf8').trim()).toHaveLength(44);
      expect(await second.stop('SIGINT')).toBe(0);
    } finally {
      await second.stop('SIGKILL');
    }
  }, 120_000);

  it('refuses an invalid environment with a readable message and exit code 1', async () => {
    const bad = new PaygateProcess(await freePort(), { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' });
    expect(await bad.exited).toBe(1);
    expect(bad.output).toContain('PAYGATE_MASTER_KEY: required when DATABASE_URL is set');
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)('the paygate CLI on PostgreSQL', () => {
  it('two processes started at once both come up on one migrated schema; `paygate migrate` then has nothing to do', async () => {
    const created = await createPostgresDatabase();
    const env = { DATABASE_URL: created.url, PAYGATE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') };
    const processes = [
      new PaygateProcess(await freePort(), { ...env, PAYGATE_ROLE: 'api' }),
      new PaygateProcess(await freePort(), env, ['start', '--role', 'worker']),
    ];
    const apiTwo = new PaygateProcess(await freePort(), { ...env, PAYGATE_ROLE: 'api' });
    processes.push(apiTwo);
    try {
      await Promise.all(processes.filter((p) => p !== processes[1]).map((p) => p.ready()));
      expect(processes.map((p) => p.output).join('')).not.toContain('Demo account created');
      const client = new pg.Client({ connectionString: created.url });
      await client.connect();
      try {
        const rows = await client.query('select version from schema_migrations order by version');
        expect(rows.rows.map((r: { version: number }) => r.version)).toEqual(loadMigrations().map((m) => m.version));
      } finally {
        await client.end();
      }
      const [api1] = processes;
      expect(api1).toBeDefined();
      if (api1 === undefined) return;
      expect(await (await fetch(`${api1.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'postgres' });
      expect((await signUp(api1.url, 'pg@example.com')).status).toBe(201);
      const login = await fetch(`${apiTwo.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'pg@example.com', password: 'correct horse battery' }),
      });
      expect(login.status).toBe(200);
      // The worker role serves health and metrics only: no API, no dashboard.
      const worker = `http://127.0.0.1:${processes[1]?.port}`;
      expect(await (await fetch(`${worker}/healthz`)).json()).toMatchObject({ status: 'ok', role: 'worker' });
      expect(await (await fetch(`${worker}/metrics`)).text()).toContain('paygate_callback_worker_held');
      const notServed = await fetch(`${worker}/api/auth/login`, { method: 'POST' });
      expect(notServed.status).toBe(404);
      expect(await notServed.json()).toMatchObject({ code: 'route_not_found', detail: expect.stringContaining('/healthz, /readyz and /metrics only') });
      expect((await fetch(`${worker}/`)).status).toBe(404);
      expect(processes[1]?.child.exitCode).toBeNull();

      const migrate = new PaygateProcess(await freePort(), env, ['migrate']);
      expect(await migrate.exited).toBe(0);
      expect(migrate.output).toContain('nothing to migrate');
      for (const p of processes) expect(await p.stop('SIGTERM')).toBe(0);
    } finally {
      for (const p of processes) await p.stop('SIGKILL');
      await created.drop();
    }
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)('KeyPair revocation across API processes', () => {
  it('two api processes on one PostgreSQL: refresh through one, the other refuses the old key on the very next request', async () => {
    const created = await createPostgresDatabase();
    const env = { DATABASE_URL: created.url, PAYGATE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'), PAYGATE_ROLE: 'api' };
    const a = new PaygateProcess(await freePort(), env);
    const b = new PaygateProcess(await freePort(), env);
    try {
      await Promise.all([a.ready(), b.ready()]);
      const owner = new HttpAgent(a.url);
      const session = await owner.call('POST', '/api/auth/signup', {
        email: 'two@example.com',
        password: 'correct horse battery',
        name: 'Two',
        businessName: 'Two Procs',
      });
      const bpId = String(session.activeBpId);
      const first = await owner.call('POST', `/api/bps/${bpId}/keypairs`, { mode: 'generate' });
      const oldOnB = Paygate.fromKeyFile(String(first.keyFile), { baseUrl: b.url, maxRetries: 0 });
      // B has verified the old key (and cached it).
      expect((await oldOnB.me()).bpId).toBe(bpId);
      const second = await owner.call('POST', `/api/bps/${bpId}/keypairs`, { mode: 'generate', confirm: true });
      const error = await oldOnB.me().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PaygateApiError);
      expect((error as PaygateApiError).code).toBe('key_revoked');
      const newOnB = Paygate.fromKeyFile(String(second.keyFile), { baseUrl: b.url, maxRetries: 0 });
      expect((await newOnB.me()).keyId).toBe((second.keypair as { id: string }).id);
      for (const p of [a, b]) expect(await p.stop('SIGTERM')).toBe(0);
    } finally {
      for (const p of [a, b]) await p.stop('SIGKILL');
      await created.drop();
    }
  });
});
