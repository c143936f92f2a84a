import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { HttpAgent } from '../support/http-agent.js';
import { createTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery';

describe('server logs never hold secrets from URLs', () => {
  let server: TestServer;
  const lines: string[] = [];

  beforeAll(async () => {
    // The production logger (same serializers and redaction), writing into this test.
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    server = await createTestServer('pglite', { logger });
    await server.listen();
  });
  afterAll(async () => server.close());

  it('logs the invitation routes with the token redacted, over the whole invitation flow', async () => {
    const stamp = Date.now().toString(36);
    const owner = new HttpAgent(server.url);
    const bpId = String(
      (await owner.call('POST', '/api/auth/signup', { email: `owner.${stamp}@example.com`, password: PASSWORD, name: 'O', businessName: 'Logs Ltd' }))
        .activeBpId,
    );
    const newcomer = `new.${stamp}@example.com`;
    const firstUrl = String((await owner.call('POST', `/api/bps/${bpId}/invitations`, { email: newcomer, role: 'admin' })).url);
    const first = firstUrl.split('/invite/')[1] ?? '';
    expect(first.length).toBeGreaterThan(20);

    // The invitee opens the link (a dashboard page; 404 here, where no dashboard is built — logged all the same),
    // the page previews it, and they sign up with it.
    await (await fetch(`${server.url}/invite/${first}`)).arrayBuffer();
    const invitee = new HttpAgent(server.url);
    await invitee.call('GET', `/api/invitations/${first}`);
    await invitee.call('POST', '/api/auth/signup', { email: newcomer, password: PASSWORD, name: 'N', invitationToken: first });

    // An existing user accepts a second invitation while logged in; a used link is refused.
    const other = new HttpAgent(server.url);
    const otherEmail = `other.${stamp}@example.com`;
    await other.call('POST', '/api/auth/signup', { email: otherEmail, password: PASSWORD, name: 'X', businessName: 'Other Ltd' });
    const second = String((await owner.call('POST', `/api/bps/${bpId}/invitations`, { email: otherEmail, role: 'viewer' })).url).split('/invite/')[1] ?? '';
    await other.call('POST', `/api/invitations/${second}/accept`);
    expect((await fetch(`${server.url}/api/invitations/${second}`)).status).toBe(410);
    // A token in a query string, on any route.
    expect((await fetch(`${server.url}/api/session?token=${first}&invitationToken=${second}`)).status).toBe(401);

    await expect.poll(() => lines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(10);
    const log = lines.join('');
    expect(log).not.toContain(first);
    expect(log).not.toContain(second);
    // One access line per request: its path is redacted and carries no query string.
    const urls = lines.map((l) => (JSON.parse(l) as { path?: string }).path).filter((u) => u !== undefined);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/invite/[redacted]',
        '/api/invitations/[redacted]',
        '/api/invitations/[redacted]/accept',
        '/api/session',
        `/api/bps/${bpId}/invitations`,
      ]),
    );
    // Nothing else about the request is lost: method, address and request id are still there.
    const accept = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.path === '/api/invitations/[redacted]/accept');
    expect(accept).toMatchObject({ method: 'POST', ip: '127.0.0.1', requestId: expect.stringMatching(/^req_/) });
  });
});
