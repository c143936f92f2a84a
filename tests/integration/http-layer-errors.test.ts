import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../apps/server/src/lib/errors.js';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { createTestServer, type TestServer } from '../support/server.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Write `bytes` on a fresh connection and read until the server closes it. */
function exchange(url: string, bytes: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(bytes);
  });
}

function expectProblem(answer: { status: number; headers: Record<string, string | string[] | undefined>; body: string }, status: number, code: ErrorCode) {
  expect(answer.status).toBe(status);
  expect(String(answer.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, code, type: `urn:paygate:error:${code}`, title: ERROR_CATALOGUE[code].title });
  expect(problem.requestId).toBe(answer.headers['x-request-id']);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  return problem;
}

/** Errors Node and Fastify produce before any route runs are problem documents too (PGlite: no database involved). */
describe('HTTP-layer errors', () => {
  let server: TestServer;
  const logs: string[] = [];
  beforeAll(async () => {
    server = await createTestServer('pglite', {
      requestTimeoutMs: 600,
      logger: createLogger('info', { write: (line: string) => void logs.push(line) }),
    });
    await server.listen();
  });
  afterAll(async () => server.close());

  it('headers over 16 KiB → 431 headers_too_large, connection closed', async () => {
    const answer = await exchange(server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`);
    expectProblem(answer, 431, 'headers_too_large');
    expect(answer.headers.connection).toBe('close');
  });

  it('malformed HTTP → 400 bad_request (not Node\'s bare "Client Error")', async () => {
    for (const bytes of [
      'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      'NOT HTTP AT ALL\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nContent-Length: x\r\n\r\n',
    ]) {
      expectProblem(await exchange(server.url, bytes), 400, 'bad_request');
    }
  });

  it('an incomplete body is answered 408 request_timeout and the socket closed', async () => {
    const answer = await exchange(
      server.url,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
    );
    expectProblem(answer, 408, 'request_timeout');
    expect(answer.headers.connection).toBe('close');
  });

  it('headers that never finish are answered 408 too', async () => {
    expectProblem(await exchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n'), 408, 'request_timeout');
  });

  it('a path that does not decode → 400 bad_request; an over-long path parameter → 414 uri_too_long', async () => {
    const toText = async (r: Response) => ({ status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() });
    expectProblem(await toText(await fetch(`${server.url}/api/bps/%zz/members`)), 400, 'bad_request');
    expectProblem(await toText(await fetch(`${server.url}/api/bps/${'b'.repeat(300)}/members`)), 414, 'uri_too_long');
    // Still served normally afterwards.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('none of it logs an error line or the raw request', async () => {
    expect(logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    expect(logs.some((l) => l.includes('a'.repeat(100)))).toBe(false);
  });

  it('a missing static file is 404, not "GET is not allowed; use GET"', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const r = await server.app.inject({ method, url: '/docs/static/nope.js' });
      expect(r.statusCode).toBe(404);
      if (method === 'GET') expect(r.json()).toMatchObject({ code: 'route_not_found' });
    }
    expect((await server.app.inject({ method: 'GET', url: '/docs/static/index.css' })).statusCode).toBe(200);
    const post = await server.app.inject({ method: 'POST', url: '/docs/static/nope.js' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });
});

describe('the dashboard’s assets', () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Paygate</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    server = await createTestServer('pglite', { dashboard: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown asset is 404 route_not_found; known ones and client routes are served', async () => {
    const missing = await server.app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'route_not_found' });
    expect((await server.app.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(200);
    const page = await server.app.inject({ method: 'GET', url: '/developers/usage' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Paygate</title>');
  });
});

describe('shutting down', () => {
  let server: TestServer;
  let preClosed: () => void = () => undefined;
  let resume: () => void = () => undefined;
  const closingStarted = new Promise<void>((resolve) => {
    preClosed = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    resume = resolve;
  });
  beforeAll(async () => {
    server = await createTestServer('pglite', {
      // Holds the close between "closing" and "stop listening", so a request can arrive then.
      configure: (app) =>
        app.addHook('preClose', async () => {
          preClosed();
          await gate;
        }),
    });
    await server.listen();
  });
  afterAll(async () => {
    await server.services.detach();
    await server.testDb.destroy();
  });

  it('a request arriving while the server closes gets 503 shutting_down as problem+json, not Fastify’s own body', async () => {
    const closing = server.app.close();
    await closingStarted;
    const late = await fetch(`${server.url}/healthz`);
    resume();
    await closing;
    expectProblem({ status: late.status, headers: Object.fromEntries(late.headers), body: await late.text() }, 503, 'shutting_down');
    expect(late.headers.get('retry-after')).toBe('1');
    expect(late.headers.get('connection')).toBe('close');
  });
});
