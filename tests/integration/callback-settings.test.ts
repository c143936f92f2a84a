import { signCallback, verifyCallback } from '@paygate/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;

describeEachDatabase('API secret and callback URL settings', (kind) => {
  const clock = new TestClock();
  let server: TestServer;
  let owner: Agent;
  let bpId: string;
  beforeAll(async () => {
    server = await createTestServer(kind, { clock });
    owner = new Agent(server.app);
    bpId = (await owner.signUp(email('callbacks'))).activeBpId ?? '';
  });
  afterAll(async () => server.close());

  async function member(role: 'developer' | 'viewer' | 'admin'): Promise<Agent> {
    const address = email(role);
    const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: address, role });
    const agent = new Agent(server.app);
    await agent.post('/api/auth/signup', {
      email: address,
      password: 'correct horse battery',
      name: role,
      invitationToken: String(invite.json().url).split('/invite/')[1],
    });
    return agent;
  }

  it('onboarding creates an API secret, stored sealed, revealed only to owners/admins after re-authentication, audited', async () => {
    const list = (await owner.get(`/api/bps/${bpId}/api-secret`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/), expiresAt: null });
    expect(JSON.stringify(list)).not.toContain('whsec_');

    const developer = await member('developer');
    expect((await developer.post(`/api/bps/${bpId}/api-secret/reveal`)).json().code).toBe('insufficient_role');
    clock.advance(301);
    expect((await owner.post(`/api/bps/${bpId}/api-secret/reveal`)).json().code).toBe('reauth_required');
    await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
    const revealed = await owner.post(`/api/bps/${bpId}/api-secret/reveal`);
    expect(revealed.headers['cache-control']).toBe('no-store');
    const secret = revealed.json().items[0].secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = await sql<{ t: string }>`select string_agg(secret_enc, '') as t from api_secrets`.execute(server.services.database.db);
    expect(stored.rows[0]?.t).not.toContain(secret.slice(6, 26));
    expect((await owner.get(`/api/bps/${bpId}/audit-log?action=api_secret.revealed`)).json().items).toHaveLength(1);
    expect(await server.services.apiSecrets.activeSecrets(bpId)).toEqual([secret]);
  });

  it('rotation with an overlap: both secrets sign until the cut-over, then only the new one', async () => {
    await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
    const [old] = await server.services.apiSecrets.activeSecrets(bpId);
    const rotated = await owner.post(`/api/bps/${bpId}/api-secret/rotate`, { overlapSeconds: 600 });
    expect(rotated.statusCode).toBe(201);
    const fresh = rotated.json().secret as string;
    const active = await server.services.apiSecrets.activeSecrets(bpId);
    expect(active).toEqual([old, fresh]);
    const signed = signCallback({
      payload: { amount: '1' },
      webhookId: 'msg_x',
      timestamp: Math.floor(clock.now().getTime() / 1000),
      secrets: active,
      kind: 'deposit',
    });
    for (const s of [old ?? '', fresh])
      expect(verifyCallback({ rawBody: signed.body, headers: signed.headers, secret: s, now: clock.now() }).schemes).toEqual([
        'standard-webhooks',
        'signature',
      ]);
    expect((await owner.get(`/api/bps/${bpId}/notifications`)).json().items[0]).toMatchObject({ title: 'API secret rotated', severity: 'critical' });
    clock.advance(601);
    expect(await server.services.apiSecrets.activeSecrets(bpId)).toEqual([fresh]);
    await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
    const immediate = await owner.post(`/api/bps/${bpId}/api-secret/rotate`, { overlapSeconds: 0 });
    expect(immediate.statusCode, immediate.body).toBe(201);
    expect(await server.services.apiSecrets.activeSecrets(bpId)).toEqual([immediate.json().secret]);
    expect((await owner.post(`/api/bps/${bpId}/api-secret/rotate`, { overlapSeconds: 8 * 86400 })).json().code).toBe('validation_failed');
  });

  it('callback URLs: validated, https only unless allowed, toggles, timeout bounds, re-authentication, audited', async () => {
    const initialResponse = await owner.get(`/api/bps/${bpId}/callbacks/settings`);
    expect(initialResponse.statusCode, initialResponse.body).toBe(200);
    const initial = initialResponse.json();
    expect(initial.timeoutMs).toBe(5000);
    expect(Object.values(initial.urls)).toEqual(Array(6).fill({ url: null, enabled: false }));
    await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
    const put = (body: unknown) => owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, body);
    const saved = await put({
      timeoutMs: 8000,
      urls: { deposit: { url: 'https://bp.example.com/hooks/deposit' }, failedPayout: { url: 'https://bp.example.com/hooks/failed', enabled: false } },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      timeoutMs: 8000,
      urls: {
        deposit: { url: 'https://bp.example.com/hooks/deposit', enabled: true },
        failedPayout: { enabled: false },
        payout: { url: null, enabled: false },
      },
    });
    for (const [url, hint] of [
      ['http://bp.example.com/hook', 'https'],
      ['https://user:pass@bp.example.com/hook', 'credentials'],
      ['not a url', 'absolute URL'],
      ['ftp://bp.example.com/hook', 'https'],
    ] as const) {
      const r = await put({ urls: { payout: { url } } });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().code).toBe('callback_url_invalid');
      expect(String(r.json().detail)).toContain(hint);
      expect(r.json().errors[0].field).toBe('body.urls.payout.url');
    }
    expect((await put({ timeoutMs: 500, urls: {} })).json().code).toBe('validation_failed');
    expect((await put({ urls: { refund: { url: 'https://x.example.com' } } })).json().code).toBe('validation_failed');
    const removed = await put({ urls: { deposit: { url: null } } });
    expect(removed.json().urls.deposit).toEqual({ url: null, enabled: false });
    const audit = (await owner.get(`/api/bps/${bpId}/audit-log?action=callback_settings.updated`)).json();
    expect(audit.items).toHaveLength(2);
    expect(audit.items[1].details.changes.map((c: { kind: string }) => c.kind)).toEqual(['deposit', 'failedPayout']);

    const developer = await member('developer');
    expect((await developer.get(`/api/bps/${bpId}/callbacks/settings`)).statusCode).toBe(200);
    expect((await developer.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls: {} })).json().code).toBe('insufficient_role');
    const viewer = await member('viewer');
    expect((await viewer.get(`/api/bps/${bpId}/callbacks/settings`)).json().code).toBe('insufficient_role');
    clock.advance(301);
    expect((await put({ urls: { payout: { url: 'https://bp.example.com/p' } } })).json().code).toBe('reauth_required');
    const outsider = new Agent(server.app);
    await outsider.signUp(email('outsider'));
    expect((await outsider.get(`/api/bps/${bpId}/callbacks/settings`)).statusCode).toBe(404);
    expect((await outsider.post(`/api/bps/${bpId}/api-secret/reveal`)).statusCode).toBe(404);
  });
});
