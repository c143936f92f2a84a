import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { contentDigest, signRequest } from '@paygate/protocol';
import { Paygate, PaygateApiError } from '@paygate/sdk';
import { appendSignature, createSignature } from 'http-message-sig';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/database.js';
import { createSignatureGuard, principalOf } from '../../apps/server/src/http/signature-auth.js';
import { describeEachDatabase } from '../support/databases.js';
import { type IssuedKey, issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error: unknown) {
    if (error instanceof PaygateApiError) return error.code;
    throw error;
  }
}

describeEachDatabase('signed API requests (RFC 9421)', (kind) => {
  let server: TestServer;
  let owner: Agent;
  let bpId: string;
  let key: IssuedKey;
  const clock = new TestClock();

  beforeAll(async () => {
    server = await createTestServer(kind, {
      clock,
      // A signed echo route, to show body and digest handling on a POST.
      configure: (app, services) => {
        const guard = createSignatureGuard({
          credentials: services.credentials,
          nonces: services.nonces,
          allowlist: services.allowlist,
          clock: services.clock,
          windowSeconds: 300,
        });
        app.post('/v1/test/echo', { preValidation: guard }, async (request) => ({
          bpId: principalOf(request).bpId,
          body: request.body,
          now: services.clock.now().toISOString(),
        }));
      },
    });
    await server.listen();
    owner = new Agent(server.app);
    bpId = (await owner.signUp(email('signer'), 'Signer Ltd')).activeBpId ?? '';
    key = await issueKeyPair(owner, bpId);
  });
  afterAll(async () => server.close());

  const client = (k: IssuedKey = key) => Paygate.fromKeyFile(k.keyFile, { baseUrl: server.url, maxRetries: 0 });

  async function raw(method: string, target: string, headers: Record<string, string>, body?: string) {
    const response = await fetch(`${server.url}${target}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('the SDK, loaded from the downloaded key file, authenticates with /v1/me', async () => {
    const me = await client().me();
    expect(me).toMatchObject({ bpId, bpName: 'Signer Ltd', keyId: key.keyId, environment: 'sandbox' });
  });

  it('an unsigned request gets signature_missing; the public meta route needs no signature', async () => {
    const r = await raw('GET', '/v1/me', {});
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('signature_missing');
    const ips = await raw('GET', '/v1/meta/callback-ips', {});
    expect(ips.status).toBe(200);
    expect(ips.json.addresses).toEqual(['127.0.0.2']);
  });

  it('a replayed request gets nonce_reused', async () => {
    const headers = signRequest(
      { method: 'GET', url: '/v1/me' },
      { keyId: key.keyId, privateKey: key.privateKey, created: Math.floor(clock.now().getTime() / 1000) },
    );
    expect((await raw('GET', '/v1/me', headers)).status).toBe(200);
    const replay = await raw('GET', '/v1/me', headers);
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('nonce_reused');
  });

  it('clock skew beyond the window gets signature_expired with the server time; inside it is fine', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const created of [now - 301, now + 301]) {
      const r = await raw('GET', '/v1/me', signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey, created }));
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ code: 'signature_expired', serverTime: now, created, windowSeconds: 300 });
      expect(String(r.json.detail)).toContain(new Date(now * 1000).toISOString());
    }
    for (const created of [now - 299, now + 299]) {
      expect(
        (await raw('GET', '/v1/me', signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey, created }))).status,
      ).toBe(200);
    }
  });

  describe('tampering is rejected with the right code', () => {
    const body = JSON.stringify({ amount: '1.00', to: 'x' });
    const sign1 = (overrides: { url?: string; method?: string; body?: string } = {}) =>
      signRequest(
        {
          method: overrides.method ?? 'POST',
          url: overrides.url ?? '/v1/test/echo?a=1',
          headers: { 'content-type': 'application/json' },
          body: overrides.body ?? body,
        },
        { keyId: key.keyId, privateKey: key.privateKey, created: Math.floor(clock.now().getTime() / 1000) },
      );
    const json = { 'content-type': 'application/json' };

    it('the untouched signed POST is accepted and sees its body', async () => {
      const r = await raw('POST', '/v1/test/echo?a=1', { ...json, ...sign1() }, body);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ bpId, body: { amount: '1.00', to: 'x' } });
    });
    it('method', async () => {
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...sign1({ method: 'PUT' }) }, body)).json.code).toBe('signature_invalid');
    });
    it('path', async () => {
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...sign1({ url: '/v1/test/other?a=1' }) }, body)).json.code).toBe('signature_invalid');
    });
    it('query', async () => {
      expect((await raw('POST', '/v1/test/echo?a=2', { ...json, ...sign1() }, body)).json.code).toBe('signature_invalid');
    });
    it('body', async () => {
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...sign1() }, JSON.stringify({ amount: '9.00', to: 'x' }))).json.code).toBe('digest_mismatch');
    });
    it('content-digest (recomputed for a new body, signature no longer matches)', async () => {
      const forged = JSON.stringify({ amount: '9.00', to: 'x' });
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...sign1(), 'content-digest': contentDigest(forged) }, forged)).json.code).toBe(
        'signature_invalid',
      );
    });
    it('content-digest not covered while there is a body', async () => {
      const headers = signRequest(
        { method: 'POST', url: '/v1/test/echo?a=1' },
        { keyId: key.keyId, privateKey: key.privateKey, created: Math.floor(clock.now().getTime() / 1000) },
      );
      const r = await raw('POST', '/v1/test/echo?a=1', { ...json, ...headers }, body);
      expect(r.json.code).toBe('signature_malformed');
      expect(String(r.json.detail)).toContain('content-digest');
    });
    it('created', async () => {
      const h = sign1();
      h['signature-input'] = (h['signature-input'] ?? '').replace(/created=(\d+)/, (_m, c: string) => `created=${Number(c) - 1}`);
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...h }, body)).json.code).toBe('signature_invalid');
    });
    it('keyid (another existing key)', async () => {
      const other = new Agent(server.app);
      const otherBp = (await other.signUp(email('otherkey'))).activeBpId ?? '';
      const otherKey = await issueKeyPair(other, otherBp);
      const h = sign1();
      h['signature-input'] = (h['signature-input'] ?? '').replace(key.keyId, otherKey.keyId);
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...h }, body)).json.code).toBe('signature_invalid');
    });
    it('keyid (unknown)', async () => {
      const h = sign1();
      h['signature-input'] = (h['signature-input'] ?? '').replace(key.keyId, 'kp_00000000000000000000000000');
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...h }, body)).json.code).toBe('key_unknown');
    });
    it('nonce', async () => {
      const h = sign1();
      h['signature-input'] = (h['signature-input'] ?? '').replace(/nonce="[^"]+"/, 'nonce="a-different-nonce-value"');
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...h }, body)).json.code).toBe('signature_invalid');
    });
    it('a signature by another private key for this keyid', async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      const h = signRequest(
        { method: 'POST', url: '/v1/test/echo?a=1', body },
        { keyId: key.keyId, privateKey, created: Math.floor(clock.now().getTime() / 1000) },
      );
      expect((await raw('POST', '/v1/test/echo?a=1', { ...json, ...h }, body)).json.code).toBe('signature_invalid');
    });
    it('wrong alg, missing nonce, missing keyid are signature_malformed', async () => {
      for (const [from, to] of [
        ['alg="ed25519"', 'alg="rsa-pss-sha512"'],
        [/;nonce="[^"]+"/, ''],
        [/;keyid="[^"]+"/, ''],
      ] as const) {
        const h = sign1();
        h['signature-input'] = (h['signature-input'] ?? '').replace(from, to);
        const r = await raw('POST', '/v1/test/echo?a=1', { ...json, ...h }, body);
        expect(r.status).toBe(401);
        expect(r.json.code).toBe('signature_malformed');
      }
    });
  });

  it('an independent RFC 9421 implementation (http-message-sig) is accepted', async () => {
    const privateKey = createPrivateKey(key.privateKey);
    const body = '{"hello":"independent"}';
    const url = `${server.url}/v1/test/echo?from=interop`;
    const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-digest': contentDigest(body) }, body });
    const fields = await createSignature(request, {
      label: 'bp',
      components: ['@method', '@path', '@query', 'content-digest', 'content-type'],
      parameters: { created: Math.floor(clock.now().getTime() / 1000), keyid: key.keyId, alg: 'ed25519', nonce: `interop-${Date.now()}-nonce` },
      signer: { algorithm: 'ed25519', sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)) },
    });
    const headers = appendSignature(new Headers({ 'content-type': 'application/json', 'content-digest': contentDigest(body) }), fields);
    const response = await fetch(url, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { body: unknown }).body).toEqual({ hello: 'independent' });
  });

  it('refreshing the KeyPair revokes the old key at once: key_revoked with when, the new key works', async () => {
    const before = client();
    expect((await before.me()).keyId).toBe(key.keyId);
    const confirmRequired = await owner.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate' });
    expect(confirmRequired.statusCode).toBe(409);
    expect(confirmRequired.json()).toMatchObject({ code: 'keypair_confirmation_required', activeKeyId: key.keyId });
    const fresh = await issueKeyPair(owner, bpId, true);
    const error = await before.me().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PaygateApiError);
    expect((error as PaygateApiError).code).toBe('key_revoked');
    expect((error as PaygateApiError).message).toMatch(/was refreshed at \d{4}-\d\d-\d\dT.*load the new one/);
    expect((error as PaygateApiError).requestId).toMatch(/^req_/);
    expect((await client(fresh).me()).keyId).toBe(fresh.keyId);
    const list = (await owner.get(`/api/bps/${bpId}/keypairs`)).json();
    expect(list.active.id).toBe(fresh.keyId);
    expect(list.revoked.map((k: { id: string }) => k.id)).toContain(key.keyId);
    expect(list.revoked.find((k: { id: string }) => k.id === key.keyId).revokedBy).toMatch(/^signer\./);
    const audit = (await owner.get(`/api/bps/${bpId}/audit-log?action=keypair.refreshed`)).json();
    expect(audit.items[0].details).toMatchObject({ revokedKeyId: key.keyId });
    const notes = (await owner.get(`/api/bps/${bpId}/notifications`)).json();
    expect(notes.items[0]).toMatchObject({ title: 'Secondary KeyPair refreshed', severity: 'critical' });
    key = fresh;
  });

  it('the private key is never stored: not in any table', async () => {
    const issued = await issueKeyPair(owner, bpId, true);
    key = issued;
    const body = issued.privateKey.split('\n').slice(1, -2).join('');
    const dump = await sql<{ t: string }>`select string_agg(row_to_json(k)::text, '') as t from keypairs k`.execute(server.services.database.db);
    expect(dump.rows[0]?.t).toContain(issued.keyId);
    expect(dump.rows[0]?.t).not.toContain(body.slice(0, 20));
    const audit = await sql<{ t: string }>`select string_agg(row_to_json(a)::text, '') as t from audit_log a`.execute(server.services.database.db);
    expect(audit.rows[0]?.t).not.toContain(body.slice(0, 20));
  });

  it('the database allows exactly one active KeyPair per BP, even bypassing the code', async () => {
    await expect(
      server.services.database.db
        .insertInto('keypairs')
        .values({
          id: 'kp_zzzzzzzzzzzzzzzzzzzzzzzzzz',
          bp_id: bpId,
          public_key: 'x',
          fingerprint: 'SHA256:manual',
          source: 'uploaded',
          created_by: null,
          created_by_label: 'sql',
          revoked_at: null,
          revoked_by: null,
          revoked_by_label: null,
        })
        .execute(),
    ).rejects.toThrow(/keypairs_one_active_per_bp/);
  });

  it('concurrent refreshes leave exactly one active key', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => issueKeyPair(owner, bpId, true)));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(5);
    const active = await server.services.database.db.selectFrom('keypairs').select('id').where('bp_id', '=', bpId).where('revoked_at', 'is', null).execute();
    expect(active).toHaveLength(1);
    const last = (await owner.get(`/api/bps/${bpId}/keypairs`)).json();
    key = { ...key, keyId: last.active.id };
    const winner = results.find((r): r is PromiseFulfilledResult<IssuedKey> => r.status === 'fulfilled' && r.value.keyId === last.active.id);
    expect(winner).toBeDefined();
    if (winner) key = winner.value;
    expect((await client().me()).keyId).toBe(key.keyId);
  });

  it('bring your own public key: PEM or raw base64; private keys, other algorithms and duplicates are refused', async () => {
    const other = new Agent(server.app);
    const byoBp = (await other.signUp(email('byo'))).activeBpId ?? '';
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const uploaded = await other.post(`/api/bps/${byoBp}/keypairs`, { mode: 'upload', publicKey: pem });
    expect(uploaded.statusCode).toBe(201);
    expect(uploaded.json()).toMatchObject({ privateKey: null, keyFile: null, keypair: { source: 'uploaded', fingerprint: expect.stringMatching(/^SHA256:/) } });
    const byoKeyId = uploaded.json().keypair.id as string;
    const me = await new Paygate({ baseUrl: server.url, keyId: byoKeyId, privateKey }).me();
    expect(me.bpId).toBe(byoBp);

    const again = await other.post(`/api/bps/${byoBp}/keypairs`, { mode: 'upload', publicKey: pem, confirm: true });
    expect(again.json().code).toBe('public_key_in_use');
    const rawKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
    const fresh = generateKeyPairSync('ed25519');
    const rawFresh = fresh.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
    expect((await other.post(`/api/bps/${byoBp}/keypairs`, { mode: 'upload', publicKey: rawFresh, confirm: true })).statusCode).toBe(201);
    expect(rawKey).toHaveLength(44);
    for (const bad of [
      privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      'A'.repeat(60),
    ]) {
      const r = await other.post(`/api/bps/${byoBp}/keypairs`, { mode: 'upload', publicKey: bad, confirm: true });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('public_key_invalid');
    }
  });

  it('roles: viewers cannot see keys, developers see but cannot issue, issuing needs re-authentication', async () => {
    const invite = async (role: string) => {
      const address = email(role);
      const inv = await owner.post(`/api/bps/${bpId}/invitations`, { email: address, role });
      const agent = new Agent(server.app);
      await agent.post('/api/auth/signup', {
        email: address,
        password: 'correct horse battery',
        name: role,
        invitationToken: String(inv.json().url).split('/invite/')[1],
      });
      return agent;
    };
    const viewer = await invite('viewer');
    expect((await viewer.get(`/api/bps/${bpId}/keypairs`)).json().code).toBe('insufficient_role');
    const developer = await invite('developer');
    expect((await developer.get(`/api/bps/${bpId}/keypairs`)).statusCode).toBe(200);
    expect((await developer.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate', confirm: true })).json().code).toBe('insufficient_role');
    const admin = await invite('admin');
    clock.advance(301);
    const stale = await admin.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate', confirm: true });
    expect(stale.json().code).toBe('reauth_required');
    await admin.post('/api/auth/reauth', { password: 'correct horse battery' });
    const issued = await admin.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate', confirm: true });
    expect(issued.statusCode).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    key = { keyId: issued.json().keypair.id, privateKey: issued.json().privateKey, keyFile: issued.json().keyFile };
    await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
  });

  it('IP allowlist: outside → ip_not_allowed, inside → accepted, empty → any; invalid entries refused', async () => {
    await owner.post('/api/auth/reauth', { password: 'correct horse battery' });
    const put = (entries: { cidr: string; label?: string }[]) => owner.request('PUT', `/api/bps/${bpId}/ip-allowlist`, { entries });
    const initial = (await owner.get(`/api/bps/${bpId}/ip-allowlist`)).json();
    expect(initial).toMatchObject({ entries: [], callbackSourceIps: ['127.0.0.2'] });
    expect(initial.recommendation).toMatch(/Add the addresses of your backend/);

    expect((await put([{ cidr: '203.0.113.0/24', label: 'office' }, { cidr: '2001:db8::/32' }])).statusCode).toBe(200);
    const refused = await codeOf(client().me());
    expect(refused).toBe('ip_not_allowed');
    const detail = await raw(
      'GET',
      '/v1/me',
      signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey, created: Math.floor(clock.now().getTime() / 1000) }),
    );
    expect(detail.json).toMatchObject({ code: 'ip_not_allowed', clientIp: '127.0.0.1', status: 403 });

    expect((await put([{ cidr: '127.0.0.1' }])).json().entries.map((e: { cidr: string }) => e.cidr)).toEqual(['127.0.0.1/32']);
    expect(await codeOf(client().me())).toBe('ok');
    expect((await put([])).json().entries).toEqual([]);
    expect(await codeOf(client().me())).toBe('ok');

    for (const [entry, hint] of [
      ['10.1.2.3/8', '10.0.0.0/8'],
      ['not-an-ip', 'not an IPv4/IPv6'],
      ['300.1.1.1', 'not an IPv4/IPv6'],
      ['2001:db8::1/32', '2001:db8::/32'],
    ] as const) {
      const r = await put([{ cidr: entry }]);
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('ip_entry_invalid');
      expect(String(r.json().detail)).toContain(hint);
    }
    const audit = (await owner.get(`/api/bps/${bpId}/audit-log?action=ip_allowlist.updated`)).json();
    expect(audit.items.length).toBe(3);
    expect(audit.items[2].details).toMatchObject({ added: ['203.0.113.0/24', '2001:db8::/32'], removed: [] });
  });

  it('tenant isolation: a key authenticates only as its own BP; other BPs’ key pages are 404', async () => {
    const other = new Agent(server.app);
    const otherBp = (await other.signUp(email('tenant'))).activeBpId ?? '';
    const otherKey = await issueKeyPair(other, otherBp);
    expect((await client(otherKey).me()).bpId).toBe(otherBp);
    expect((await client().me()).bpId).toBe(bpId);
    expect((await other.get(`/api/bps/${bpId}/keypairs`)).statusCode).toBe(404);
    expect((await other.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate', confirm: true })).statusCode).toBe(404);
    expect((await other.request('PUT', `/api/bps/${bpId}/ip-allowlist`, { entries: [] })).statusCode).toBe(404);
  });
});

describeEachDatabase('proxy headers for the IP allowlist', (kind) => {
  it('X-Forwarded-For counts only when PAYGATE_TRUST_PROXY is configured', async () => {
    for (const trustProxy of [false, true]) {
      const server = await createTestServer(kind, { trustProxy });
      try {
        await server.listen();
        const owner = new Agent(server.app);
        const bpId = (await owner.signUp(email('proxy'))).activeBpId ?? '';
        const key = await issueKeyPair(owner, bpId);
        await owner.request('PUT', `/api/bps/${bpId}/ip-allowlist`, { entries: [{ cidr: '198.51.100.0/24' }] });
        const headers = {
          ...signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey }),
          'x-forwarded-for': '198.51.100.7',
        };
        const response = await fetch(`${server.url}/v1/me`, { headers });
        expect(response.status, `trustProxy=${trustProxy}`).toBe(trustProxy ? 200 : 403);
      } finally {
        await server.close();
      }
    }
  });
});

describeEachDatabase('revocation across instances', (kind) => {
  it.runIf(kind === 'postgres')(
    'two API instances on one PostgreSQL: refresh through one, the other refuses the old key on the very next request',
    async () => {
      const a = await createTestServer(kind);
      const url = a.testDb.url ?? '';
      const secondDb = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
      const b = await createTestServer(kind, { database: { kind, database: secondDb, url, destroy: () => secondDb.close() } });
      try {
        await Promise.all([a.listen(), b.listen()]);
        const owner = new Agent(a.app);
        const bpId = (await owner.signUp(email('multi'))).activeBpId ?? '';
        const oldKey = await issueKeyPair(owner, bpId);
        const onB = Paygate.fromKeyFile(oldKey.keyFile, { baseUrl: b.url, maxRetries: 0 });
        // Warm instance B's credential cache with the old key.
        expect((await onB.me()).keyId).toBe(oldKey.keyId);
        await issueKeyPair(owner, bpId, true);
        expect(await codeOf(onB.me())).toBe('key_revoked');
      } finally {
        await b.close();
        await secondDb.close().catch(() => undefined);
        await a.close();
      }
    },
  );
});
