import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp.js';
import { describeEachDatabase } from '../support/databases.js';
import { Agent, createTestServer, type SessionDoc, TestClock, type TestServer } from '../support/server.js';

let counter = 0;
const email = (name: string) => `${name}.${Date.now()}.${++counter}@example.com`;

describeEachDatabase('accounts, sessions and roles', (kind) => {
  let server: TestServer;
  const clock = new TestClock();
  beforeAll(async () => {
    server = await createTestServer(kind, { clock });
  });
  afterAll(async () => server.close());

  it('sign-up creates a BP with its owner and a session; passwords are stored as argon2id', async () => {
    const agent = new Agent(server.app);
    const address = email('owner');
    const session = await agent.signUp(address, 'Acme Payments');
    expect(session.user.email).toBe(address);
    expect(session.memberships).toEqual([expect.objectContaining({ bpName: 'Acme Payments', role: 'owner', environment: 'sandbox' })]);
    expect(session.activeBpId).toBe(session.memberships[0]?.bpId);
    const row = await server.services.database.db.selectFrom('users').select('password_hash').where('email', '=', address).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  it('e-mail is unique regardless of case', async () => {
    const address = email('dup');
    await new Agent(server.app).signUp(address);
    const again = await new Agent(server.app).post('/api/auth/signup', {
      email: address.toUpperCase(),
      password: 'correct horse battery',
      name: 'X',
      businessName: 'Y',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('email_taken');
  });

  it('rejects weak passwords and a sign-up without a business name', async () => {
    const weak = await new Agent(server.app).post('/api/auth/signup', { email: email('weak'), password: 'short', name: 'W', businessName: 'W' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([expect.objectContaining({ field: 'body.password' })]);
    const noBp = await new Agent(server.app).post('/api/auth/signup', { email: email('nobp'), password: 'correct horse battery', name: 'N' });
    expect(noBp.statusCode).toBe(400);
    expect(noBp.json().errors).toEqual([expect.objectContaining({ field: 'body.businessName' })]);
  });

  it('session cookie is httpOnly, SameSite=Lax, path /, and Secure only over https', async () => {
    const plain = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: email('cookie'), password: 'correct horse battery', name: 'C', businessName: 'C' },
    });
    const cookie = plain.cookies.find((c) => c.name === 'paygate_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeUndefined();
    expect(cookie?.value.length).toBeGreaterThanOrEqual(40);
    const stored = await server.services.database.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie?.value);

    const httpsServer = await createTestServer(kind, { publicUrl: 'https://pay.example.com' });
    try {
      const secure = await httpsServer.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { email: email('secure'), password: 'correct horse battery', name: 'S', businessName: 'S' },
      });
      expect(secure.cookies.find((c) => c.name === 'paygate_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await httpsServer.close();
    }
  });

  it('log in, read the session, log out; the old cookie no longer works', async () => {
    const address = email('login');
    await new Agent(server.app).signUp(address);
    const agent = new Agent(server.app);
    const login = await agent.logIn(address);
    expect(login.statusCode).toBe(200);
    expect((await agent.get('/api/session')).json().user.email).toBe(address);
    const cookie = agent.cookie;
    expect((await agent.post('/api/auth/logout')).statusCode).toBe(204);
    const after = await server.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookie ?? '' } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');
  });

  it('wrong password → invalid_credentials; unknown e-mail answers the same', async () => {
    const address = email('wrong');
    await new Agent(server.app).signUp(address);
    const wrong = await new Agent(server.app).logIn(address, 'not the password');
    const unknown = await new Agent(server.app).logIn(email('nobody'), 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('repeated wrong passwords are throttled with Retry-After, even for the right password, until the lock expires', async () => {
    const address = email('brute');
    await new Agent(server.app).signUp(address);
    const attacker = new Agent(server.app);
    for (let i = 0; i < 5; i++) expect((await attacker.logIn(address, `guess-${i}-xxxxxxxx`)).statusCode).toBe(401);
    const locked = await attacker.logIn(address);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    clock.advance(901);
    expect((await attacker.logIn(address)).statusCode).toBe(200);
  });

  it('a mutation without (or with a wrong) CSRF token is refused', async () => {
    const agent = new Agent(server.app);
    const session = await agent.signUp(email('csrf'));
    const bpId = session.activeBpId ?? '';
    const noToken = await server.app.inject({
      method: 'PATCH',
      url: `/api/bps/${bpId}`,
      payload: { name: 'Hijacked' },
      headers: { cookie: agent.cookie ?? '' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('csrf_token_invalid');
    const wrongToken = await server.app.inject({
      method: 'PATCH',
      url: `/api/bps/${bpId}`,
      payload: { name: 'Hijacked' },
      headers: { cookie: agent.cookie ?? '', 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrongToken.json().code).toBe('csrf_token_invalid');
    const logout = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: agent.cookie ?? '' } });
    expect(logout.json().code).toBe('csrf_token_invalid');
    expect((await agent.get(`/api/bps/${bpId}`)).json().name).toBe('Acme Ltd');
    const ok = await agent.request('PATCH', `/api/bps/${bpId}`, { name: 'Renamed' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Renamed');
  });

  async function teamWith(role: 'admin' | 'developer' | 'viewer'): Promise<{ owner: Agent; member: Agent; bpId: string; memberSession: SessionDoc }> {
    const owner = new Agent(server.app);
    const ownerSession = await owner.signUp(email('teamowner'), 'Team Co');
    const bpId = ownerSession.activeBpId ?? '';
    const memberEmail = email(role);
    const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: memberEmail, role });
    expect(invite.statusCode).toBe(201);
    const token = String(invite.json().url).split('/invite/')[1] ?? '';
    const member = new Agent(server.app);
    const joined = await member.post('/api/auth/signup', { email: memberEmail, password: 'correct horse battery', name: role, invitationToken: token });
    expect(joined.statusCode).toBe(201);
    return { owner, member, bpId, memberSession: joined.json() as SessionDoc };
  }

  it('a viewer gets 403 insufficient_role on owner and admin actions but can read', async () => {
    const { member, bpId } = await teamWith('viewer');
    expect((await member.get(`/api/bps/${bpId}/members`)).statusCode).toBe(200);
    const rename = await member.request('PATCH', `/api/bps/${bpId}`, { name: 'Mine now' });
    expect(rename.statusCode).toBe(403);
    expect(rename.json()).toMatchObject({ code: 'insufficient_role', role: 'viewer', permission: 'bp:update' });
    const invite = await member.post(`/api/bps/${bpId}/invitations`, { email: email('x'), role: 'viewer' });
    expect(invite.json().code).toBe('insufficient_role');
    expect((await member.get(`/api/bps/${bpId}/audit-log`)).json().code).toBe('insufficient_role');
  });

  it('an admin cannot rename the BP (owner only) nor touch an owner', async () => {
    const { owner, member, bpId } = await teamWith('admin');
    expect((await member.request('PATCH', `/api/bps/${bpId}`, { name: 'x' })).json().code).toBe('insufficient_role');
    const ownerId = (await owner.get('/api/session')).json().user.id as string;
    await member.post('/api/auth/reauth', { password: 'correct horse battery' });
    const demote = await member.request('PATCH', `/api/bps/${bpId}/members/${ownerId}`, { role: 'viewer' });
    expect(demote.statusCode).toBe(403);
    expect(demote.json().code).toBe('insufficient_role');
  });

  it("a user of BP A gets 404 on BP B's resources, whatever the role there", async () => {
    const a = new Agent(server.app);
    await a.signUp(email('tenant-a'), 'Tenant A');
    const b = new Agent(server.app);
    const bpB = (await b.signUp(email('tenant-b'), 'Tenant B')).activeBpId ?? '';
    for (const url of [
      `/api/bps/${bpB}`,
      `/api/bps/${bpB}/members`,
      `/api/bps/${bpB}/invitations`,
      `/api/bps/${bpB}/audit-log`,
      `/api/bps/${bpB}/notifications`,
    ]) {
      const r = await a.get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().code).toBe('not_found');
    }
    const write = await a.request('PATCH', `/api/bps/${bpB}`, { name: 'Owned' });
    expect(write.statusCode).toBe(404);
    expect((await a.post(`/api/bps/${bpB}/invitations`, { email: email('x'), role: 'admin' })).statusCode).toBe(404);
    expect((await a.request('PUT', '/api/session/active-bp', { bpId: bpB })).statusCode).toBe(404);
    expect((await b.get(`/api/bps/${bpB}`)).json().name).toBe('Tenant B');
  });

  it('invitations: link preview, wrong e-mail refused, single use, revocation', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(email('inviter'), 'Inviting Co')).activeBpId ?? '';
    const invitee = email('invitee');
    const created = await owner.post(`/api/bps/${bpId}/invitations`, { email: invitee, role: 'developer' });
    const token = String(created.json().url).split('/invite/')[1] ?? '';
    expect(created.json().url).toMatch(/^http:\/\/localhost(:\d+)?\/invite\/[A-Za-z0-9_-]{43}$/);
    const preview = await new Agent(server.app).get(`/api/invitations/${token}`);
    expect(preview.json()).toMatchObject({ bpName: 'Inviting Co', email: invitee, role: 'developer' });
    expect((await owner.get(`/api/bps/${bpId}/invitations`)).json().items).toHaveLength(1);

    const stranger = new Agent(server.app);
    await stranger.signUp(email('stranger'));
    const mismatch = await stranger.post(`/api/invitations/${token}/accept`);
    expect(mismatch.statusCode).toBe(403);
    expect(mismatch.json().code).toBe('invitation_email_mismatch');

    const joiner = new Agent(server.app);
    const joined = await joiner.post('/api/auth/signup', { email: invitee, password: 'correct horse battery', name: 'Dev', invitationToken: token });
    expect(joined.json().memberships).toEqual([expect.objectContaining({ bpId, role: 'developer' })]);
    const reuse = await new Agent(server.app).get(`/api/invitations/${token}`);
    expect(reuse.statusCode).toBe(410);
    expect(reuse.json().code).toBe('invitation_invalid');
    expect((await owner.post(`/api/bps/${bpId}/invitations`, { email: invitee, role: 'viewer' })).json().code).toBe('already_member');

    const second = await owner.post(`/api/bps/${bpId}/invitations`, { email: email('later'), role: 'viewer' });
    const secondId = second.json().invitation.id as string;
    expect((await owner.request('DELETE', `/api/bps/${bpId}/invitations/${secondId}`)).statusCode).toBe(204);
    expect((await new Agent(server.app).get(`/api/invitations/${String(second.json().url).split('/invite/')[1]}`)).statusCode).toBe(410);
    expect((await owner.get(`/api/bps/${bpId}/members`)).json().items.map((m: { role: string }) => m.role)).toEqual(['owner', 'developer']);
  });

  it('a user may belong to several BPs and switch between them', async () => {
    const { member, bpId: teamBp } = await teamWith('developer');
    const other = new Agent(server.app);
    const otherBp = (await other.signUp(email('second-bp'), 'Second BP')).activeBpId ?? '';
    const me = (await member.get('/api/session')).json() as SessionDoc;
    const invite = await other.post(`/api/bps/${otherBp}/invitations`, { email: me.user.email, role: 'viewer' });
    const accepted = await member.post(`/api/invitations/${String(invite.json().url).split('/invite/')[1]}/accept`);
    expect(accepted.statusCode).toBe(200);
    const doc = accepted.json() as SessionDoc;
    expect(doc.memberships.map((m) => m.bpId).sort()).toEqual([teamBp, otherBp].sort());
    expect(doc.activeBpId).toBe(otherBp);
    const switched = await member.request('PUT', '/api/session/active-bp', { bpId: teamBp });
    expect(switched.json().activeBpId).toBe(teamBp);
    expect((await member.get(`/api/bps/${otherBp}`)).json().role).toBe('viewer');
    expect((await member.get(`/api/bps/${teamBp}`)).json().role).toBe('developer');
  });

  it('sensitive actions need recent re-authentication; wrong proof is refused', async () => {
    const shortWindow = await createTestServer(kind, { clock, reauthWindowSeconds: 60 });
    try {
      const owner = new Agent(shortWindow.app);
      const bpId = (await owner.signUp(email('reauth'))).activeBpId ?? '';
      const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: email('m'), role: 'viewer' });
      const member = new Agent(shortWindow.app);
      const memberId = (
        await member.post('/api/auth/signup', {
          email: invite.json().invitation.email,
          password: 'correct horse battery',
          name: 'M',
          invitationToken: String(invite.json().url).split('/invite/')[1],
        })
      ).json().user.id as string;
      // Fresh log-in counts as re-authentication…
      expect((await owner.request('PATCH', `/api/bps/${bpId}/members/${memberId}`, { role: 'developer' })).statusCode).toBe(200);
      clock.advance(61);
      // …for the configured window only.
      const stale = await owner.request('PATCH', `/api/bps/${bpId}/members/${memberId}`, { role: 'admin' });
      expect(stale.statusCode).toBe(403);
      expect(stale.json()).toMatchObject({ code: 'reauth_required', reauthWindowSeconds: 60 });
      const wrong = await owner.post('/api/auth/reauth', { password: 'not it at all' });
      expect(wrong.json().code).toBe('reauth_invalid');
      const empty = await owner.post('/api/auth/reauth', {});
      expect(empty.json().code).toBe('validation_failed');
      const right = await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
      expect(new Date(right.json().reauthUntil).getTime()).toBe(clock.now().getTime() + 60_000);
      expect((await owner.request('PATCH', `/api/bps/${bpId}/members/${memberId}`, { role: 'admin' })).json().role).toBe('admin');
      const audit = (await owner.get(`/api/bps/${bpId}/audit-log?action=member.role_changed`)).json();
      expect(audit.items.map((i: { details: { to: string } }) => i.details.to)).toEqual(['admin', 'developer']);
    } finally {
      await shortWindow.close();
    }
  });

  it('the last owner cannot be demoted or removed', async () => {
    const owner = new Agent(server.app);
    const session = await owner.signUp(email('lastowner'));
    const bpId = session.activeBpId ?? '';
    const demote = await owner.request('PATCH', `/api/bps/${bpId}/members/${session.user.id}`, { role: 'admin' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('last_owner');
    expect((await owner.request('DELETE', `/api/bps/${bpId}/members/${session.user.id}`)).json().code).toBe('last_owner');
  });

  it('TOTP: enrol, then log-in needs a fresh code; a replayed code is refused; disabling needs re-auth', async () => {
    const address = email('totp');
    const agent = new Agent(server.app);
    await agent.signUp(address);
    const setup = await agent.post('/api/me/totp/setup');
    const { secret, otpauthUri } = setup.json() as { secret: string; otpauthUri: string };
    expect(otpauthUri).toContain('otpauth://totp/Paygate:');
    const stored = await server.services.database.db.selectFrom('users').select('totp_secret_enc').where('email', '=', address).executeTakeFirstOrThrow();
    expect(stored.totp_secret_enc).not.toContain(secret);
    expect((await agent.post('/api/me/totp/enable', { code: '000000' === totpCodeAt(secret, clock.now()) ? '111111' : '000000' })).json().code).toBe(
      'totp_invalid',
    );
    expect((await agent.post('/api/me/totp/enable', { code: totpCodeAt(secret, clock.now()) })).statusCode).toBe(204);

    const fresh = new Agent(server.app);
    const needCode = await fresh.logIn(address);
    expect(needCode.statusCode).toBe(401);
    expect(needCode.json().code).toBe('totp_required');
    const replay = await fresh.logIn(address, 'correct horse battery', totpCodeAt(secret, clock.now()));
    expect(replay.json().code).toBe('totp_invalid');
    clock.advance(30);
    const ok = await fresh.logIn(address, 'correct horse battery', totpCodeAt(secret, clock.now()));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.totpEnabled).toBe(true);

    clock.advance(600);
    expect((await fresh.post('/api/me/totp/disable')).json().code).toBe('reauth_required');
    clock.advance(30);
    expect((await fresh.post('/api/auth/reauth', { totpCode: totpCodeAt(secret, clock.now()) })).statusCode).toBe(200);
    expect((await fresh.post('/api/me/totp/disable')).statusCode).toBe(204);
    expect((await new Agent(server.app).logIn(address)).statusCode).toBe(200);
  });

  it('unauthenticated requests to dashboard routes get 401 unauthenticated', async () => {
    for (const [method, url] of [
      ['GET', '/api/session'],
      ['POST', '/api/auth/logout'],
      ['GET', '/api/bps/bp_00000000000000000000000000/members'],
    ] as const) {
      const r = await server.app.inject({ method, url });
      expect(r.statusCode, url).toBe(401);
      expect(r.json().code).toBe('unauthenticated');
    }
    const forged = await server.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: 'paygate_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.statusCode).toBe(401);
  });
});
