import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { createTestServer, type TestServer } from '../support/server.js';

/** Every JSON log line the app writes, parsed. */
class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const text of chunk
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== ''))
      this.lines.push(JSON.parse(text) as Record<string, unknown>);
    done();
  }
}

describe('access log', () => {
  const sink = new LogSink();
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer('pglite', { logger: createLogger('debug', sink) });
  });
  afterAll(async () => server.close());

  const requestLines = (requestId: string) => sink.lines.filter((l) => l.requestId === requestId);

  it('writes one info line per request, with no query string and no page token', async () => {
    const me = await server.app.inject({ method: 'GET', url: '/v1/me?secret=hunter2' });
    const lines = requestLines(String(me.headers['x-request-id']));
    // The refused request's own "request rejected" line stays; the access line is the only other one.
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 30, method: 'GET', path: '/v1/me', status: 401 });
    expect(lines.map((l) => l.msg).sort()).toEqual(['request', 'request rejected']);
    expect(JSON.stringify(lines)).not.toContain('hunter2');

    const token = 'A'.repeat(43);
    const pay = await server.app.inject({ method: 'GET', url: `/pay/${token}` });
    const payLines = requestLines(String(pay.headers['x-request-id']));
    expect(payLines.map((l) => [l.msg, l.level, l.path])).toEqual([['request', 30, '/pay/[redacted]']]);
    expect(JSON.stringify(payLines)).not.toContain(token);
  });

  it('logs health probes and metric scrapes at debug only', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      const response = await server.app.inject({ method: 'GET', url });
      const lines = requestLines(String(response.headers['x-request-id']));
      expect(lines.map((l) => [l.msg, l.level])).toEqual([['request', 20]]);
    }
  });
});
