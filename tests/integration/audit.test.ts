import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

describeEachDatabase('audit log and notifications', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
  });
  afterAll(async () => server.close());

  const actor = { type: 'system' as const, id: null, label: 'Paygate' };

  it('record() joins the caller transaction: a rolled-back change leaves no audit entry or notification', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(`tx.${Date.now()}@example.com`)).activeBpId ?? '';
    const { audit, database } = server.services;
    await expect(
      database.db.transaction().execute(async (trx) => {
        const auditId = await audit.record(trx, { bpId, actor, action: 'test.rolled_back', target: { type: 'bp', id: bpId } });
        await audit.notify(trx, { bpId, title: 'Should vanish', body: 'rolled back', auditId });
        throw new Error('abort the change');
      }),
    ).rejects.toThrow('abort the change');
    const committedId = await database.db
      .transaction()
      .execute((trx) => audit.record(trx, { bpId, actor, action: 'test.committed', target: { type: 'bp', id: bpId }, details: { n: 1 } }));
    const page = await audit.list(bpId, { limit: 50 });
    expect(page.items.map((i) => i.action)).toContain('test.committed');
    expect(page.items.map((i) => i.action)).not.toContain('test.rolled_back');
    expect(page.items.find((i) => i.id === committedId)?.details).toEqual({ n: 1 });
    const notes = await audit.listNotifications(bpId, 'usr_nobody', { limit: 50 });
    expect(notes.items.map((n) => n.title)).not.toContain('Should vanish');
  });

  it('lists newest first with keyset pagination that neither skips nor repeats', async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(`page.${Date.now()}@example.com`)).activeBpId ?? '';
    for (let i = 0; i < 7; i++) {
      await server.services.database.db
        .transaction()
        .execute((trx) => server.services.audit.record(trx, { bpId, actor, action: 'test.step', target: { type: 'step', id: String(i) } }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const res = await owner.get(`/api/bps/${bpId}/audit-log?limit=3&action=test.step${query}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { target: { id: string } }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.target.id));
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['6', '5', '4', '3', '2', '1', '0']);
    const all = (await owner.get(`/api/bps/${bpId}/audit-log`)).json() as { items: { action: string; actor: { label: string }; requestId: string | null }[] };
    const created = all.items.find((i) => i.action === 'bp.created');
    expect(created?.actor.label).toMatch(/^page\./);
    expect(created?.requestId).toMatch(/^req_/);
  });

  it("team notifications reach every member, with each member's own read state, and never another BP", async () => {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(`notify.${Date.now()}@example.com`)).activeBpId ?? '';
    const invitee = `notified.${Date.now()}@example.com`;
    const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: invitee, role: 'viewer' });
    const member = new Agent(server.app);
    await member.post('/api/auth/signup', {
      email: invitee,
      password: 'correct horse battery',
      name: 'V',
      invitationToken: String(invite.json().url).split('/invite/')[1],
    });

    const forOwner = (await owner.get(`/api/bps/${bpId}/notifications`)).json();
    expect(forOwner.items.map((n: { title: string }) => n.title)).toEqual(['New team member', 'Team member invited']);
    expect(forOwner.unreadCount).toBe(2);
    const firstId = forOwner.items[0].id as string;
    expect((await owner.post(`/api/bps/${bpId}/notifications/read`, { ids: [firstId] })).json().marked).toBe(1);
    expect((await owner.get(`/api/bps/${bpId}/notifications`)).json().unreadCount).toBe(1);
    expect((await member.get(`/api/bps/${bpId}/notifications`)).json().unreadCount).toBe(2);
    expect((await member.post(`/api/bps/${bpId}/notifications/read`, { all: true })).json().marked).toBe(2);
    expect((await member.get(`/api/bps/${bpId}/notifications`)).json().unreadCount).toBe(0);

    const outsider = new Agent(server.app);
    const otherBp = (await outsider.signUp(`outsider.${Date.now()}@example.com`)).activeBpId ?? '';
    expect((await outsider.get(`/api/bps/${otherBp}/notifications`)).json().items).toEqual([]);
    // Marking another BP's notification through one's own BP marks nothing.
    expect((await outsider.post(`/api/bps/${otherBp}/notifications/read`, { ids: [firstId] })).json().marked).toBe(0);
    expect((await outsider.post(`/api/bps/${otherBp}/notifications/read`, { ids: [] })).json().code).toBe('validation_failed');
  });
});
