import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp.js';
import { describeEachDatabase } from '../support/databases.js';
import { Agent, createTestServer, type SessionDoc, TestClock, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery';
const WINDOW_SECONDS = 300;

let counter = 0;
const email = (name: string) => `${name}.${Date.now()}.${++counter}@example.com`;

describeEachDatabase('re-authentication guards sensitive account changes', (kind) => {
  let server: TestServer;
  const clock = new TestClock();
  beforeAll(async () => {
    server = await createTestServer(kind, { clock, reauthWindowSeconds: WINDOW_SECONDS });
  });
  afterAll(async () => server.close());

  /** Let the log-in (or last re-authentication) of every session so far fall out of the window. */
  const goStale = () => clock.advance(WINDOW_SECONDS + 1);

  async function expectReauthRequired(response: { statusCode: number; json(): unknown }, what: string): Promise<void> {
    expect(response.statusCode, what).toBe(403);
    expect(response.json(), what).toMatchObject({ code: 'reauth_required', reauthWindowSeconds: WINDOW_SECONDS });
  }

  async function reauth(agent: Agent, password = PASSWORD): Promise<void> {
    const response = await agent.post('/api/auth/reauth', { password });
    expect(response.statusCode).toBe(200);
  }

  async function join(owner: Agent, bpId: string, role: 'admin' | 'developer' | 'viewer'): Promise<{ agent: Agent; session: SessionDoc }> {
    const address = email(role);
    const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: address, role });
    expect(invite.statusCode).toBe(201);
    const agent = new Agent(server.app);
    const joined = await agent.post('/api/auth/signup', {
      email: address,
      password: PASSWORD,
      name: role,
      invitationToken: String(invite.json().url).split('/invite/')[1],
    });
    expect(joined.statusCode).toBe(201);
    return { agent, session: joined.json() as SessionDoc };
  }

  it('a stale session cannot invite an admin (nothing is created); after re-authentication it can, and the admin can work', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(email('inviter'), 'Invite Guard Ltd')).activeBpId ?? '';
    goStale();
    const attacker = email('attacker');
    await expectReauthRequired(await owner.post(`/api/bps/${bpId}/invitations`, { email: attacker, role: 'admin' }), 'invite admin');
    await expectReauthRequired(await owner.post(`/api/bps/${bpId}/invitations`, { email: attacker, role: 'viewer' }), 'invite viewer');
    expect((await owner.get(`/api/bps/${bpId}/invitations`)).json().items).toEqual([]);
    expect((await owner.get(`/api/bps/${bpId}/audit-log?action=member.invited`)).json().items).toEqual([]);

    await reauth(owner);
    const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: attacker, role: 'admin' });
    expect(invite.statusCode).toBe(201);
    const admin = new Agent(server.app);
    const joined = await admin.post('/api/auth/signup', {
      email: attacker,
      password: PASSWORD,
      name: 'New Admin',
      invitationToken: String(invite.json().url).split('/invite/')[1],
    });
    expect(joined.json().memberships).toEqual([expect.objectContaining({ bpId, role: 'admin' })]);
    // Signing up is a fresh proof of identity: the new admin's own sensitive actions work.
    expect((await admin.post(`/api/bps/${bpId}/api-secret/reveal`)).statusCode).toBe(200);
    expect((await admin.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate' })).statusCode).toBe(201);
  });

  it('a stale session can neither start nor finish enrolling an authenticator, so it cannot lock the user out', async () => {
    const user = new Agent(server.app);
    await user.signUp(email('enrol'));
    goStale();
    await expectReauthRequired(await user.post('/api/me/totp/setup'), 'setup');
    await reauth(user);
    const { secret } = (await user.post('/api/me/totp/setup')).json() as { secret: string };
    goStale();
    await expectReauthRequired(await user.post('/api/me/totp/enable', { code: totpCodeAt(secret, clock.now()) }), 'enable');
    expect((await user.get('/api/session')).json().user.totpEnabled).toBe(false);
    // Without two-factor the password still logs in: nobody was locked out.
    expect((await new Agent(server.app).logIn((await user.get('/api/session')).json().user.email)).statusCode).toBe(200);

    await reauth(user);
    expect((await user.post('/api/me/totp/enable', { code: totpCodeAt(secret, clock.now()) })).statusCode).toBe(204);
    goStale();
    await expectReauthRequired(await user.post('/api/me/totp/disable'), 'disable');
  });

  it('enabling two-factor ends the other sessions of that user (opened without it), not the current one nor anyone else’s', async () => {
    const address = email('2fa-sessions');
    const current = new Agent(server.app);
    const bpId = (await current.signUp(address)).activeBpId ?? '';
    const other = new Agent(server.app);
    expect((await other.logIn(address)).statusCode).toBe(200);
    const stranger = new Agent(server.app);
    await stranger.signUp(email('stranger'));

    const { secret } = (await current.post('/api/me/totp/setup')).json() as { secret: string };
    expect((await current.post('/api/me/totp/enable', { code: totpCodeAt(secret, clock.now()) })).statusCode).toBe(204);

    expect((await other.get('/api/session')).json()).toMatchObject({ code: 'unauthenticated' });
    expect((await current.get('/api/session')).json().user.totpEnabled).toBe(true);
    expect((await stranger.get('/api/session')).statusCode).toBe(200);
    const audit = (await current.get(`/api/bps/${bpId}/audit-log?action=user.totp_enabled`)).json();
    expect(audit.items).toEqual([expect.objectContaining({ details: { endedSessions: 1 } })]);
    // A new session now needs the second factor.
    expect((await new Agent(server.app).logIn(address)).json().code).toBe('totp_required');
  });

  it('changing the password needs re-authentication and ends the other sessions; the old password stops working', async () => {
    const address = email('password');
    const current = new Agent(server.app);
    const bpId = (await current.signUp(address)).activeBpId ?? '';
    const other = new Agent(server.app);
    expect((await other.logIn(address)).statusCode).toBe(200);
    const newPassword = 'a much longer passphrase';

    goStale();
    await expectReauthRequired(await current.post('/api/me/password', { newPassword }), 'stale');
    expect((await other.get('/api/session')).statusCode).toBe(200);
    await reauth(current);
    const weak = await current.post('/api/me/password', { newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([expect.objectContaining({ field: 'body.newPassword' })]);
    expect((await current.post('/api/me/password', { newPassword })).statusCode).toBe(204);

    expect((await other.get('/api/session')).json().code).toBe('unauthenticated');
    expect((await current.get('/api/session')).statusCode).toBe(200);
    expect((await new Agent(server.app).logIn(address)).json().code).toBe('invalid_credentials');
    expect((await new Agent(server.app).logIn(address, newPassword)).statusCode).toBe(200);
    const audit = (await current.get(`/api/bps/${bpId}/audit-log?action=user.password_changed`)).json();
    expect(audit.items).toEqual([expect.objectContaining({ details: { endedSessions: 1 } })]);
    expect(JSON.stringify(audit)).not.toContain(newPassword);
  });

  it('every sensitive action refuses a stale session with reauth_required, and goes past that check after re-authentication', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(email('guarded'), 'Guarded Ltd')).activeBpId ?? '';
    const { session: developer } = await join(owner, bpId, 'developer');
    const { session: viewer } = await join(owner, bpId, 'viewer');
    const actions: [string, () => ReturnType<Agent['request']>][] = [
      ['promote to owner', () => owner.request('PATCH', `/api/bps/${bpId}/members/${developer.user.id}`, { role: 'owner' })],
      ['promote to admin', () => owner.request('PATCH', `/api/bps/${bpId}/members/${viewer.user.id}`, { role: 'admin' })],
      ['remove member', () => owner.request('DELETE', `/api/bps/${bpId}/members/${viewer.user.id}`)],
      ['invite admin', () => owner.post(`/api/bps/${bpId}/invitations`, { email: email('late'), role: 'admin' })],
      ['start 2FA', () => owner.post('/api/me/totp/setup')],
      ['finish 2FA', () => owner.post('/api/me/totp/enable', { code: '123456' })],
      ['turn 2FA off', () => owner.post('/api/me/totp/disable')],
      ['change password', () => owner.post('/api/me/password', { newPassword: 'another long passphrase' })],
      ['generate KeyPair', () => owner.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate' })],
      ['reveal API secret', () => owner.post(`/api/bps/${bpId}/api-secret/reveal`)],
      ['rotate API secret', () => owner.post(`/api/bps/${bpId}/api-secret/rotate`, { overlapSeconds: 60 })],
      ['replace IP allowlist', () => owner.request('PUT', `/api/bps/${bpId}/ip-allowlist`, { entries: [] })],
      ['change callback URLs', () => owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls: {} })],
    ];
    goStale();
    for (const [what, act] of actions) await expectReauthRequired(await act(), what);
    expect((await owner.get(`/api/bps/${bpId}/members`)).json().items.map((m: { role: string }) => m.role)).toEqual(['owner', 'developer', 'viewer']);

    await reauth(owner);
    for (const [what, act] of actions) {
      const response = await act();
      const code = response.body === '' ? undefined : (response.json() as { code?: string }).code;
      expect(code, what).not.toBe('reauth_required');
      expect(response.statusCode, `${what}: ${response.body}`).toBeLessThan(500);
    }
  });
});
