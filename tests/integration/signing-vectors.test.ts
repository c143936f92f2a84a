import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signRequest } from '@paygate/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

/** The RFC 9421 §B.1.4 test key the documented vectors are signed with. */
const PRIVATE = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----`;
const KEY_ID = 'kp_01kdw3hh8gzq2t1j5a8v6m4c0b';

interface DocumentedVector {
  readonly method: string;
  readonly target: string;
  readonly created: number;
  readonly body: string | undefined;
  readonly headers: Record<string, string>;
}

/** The test vectors exactly as docs/request-signing.md shows them: request line, body bytes, headers. */
function documentedVectors(): DocumentedVector[] {
  const docs = readFileSync(new URL('../../docs/request-signing.md', import.meta.url), 'utf8');
  return docs
    .split('\n### Vector ')
    .slice(1)
    .map((section) => {
      const line = /^\d+: `(GET|POST) ([^` ]+)`/.exec(section);
      const created = /created `(\d+)`/.exec(section);
      const blocks = [...section.matchAll(/```\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
      const headerBlock = /Headers:\n\n```\n([\s\S]*?)\n```/.exec(section)?.[1];
      if (line === null || created === null || headerBlock === undefined) throw new Error(`Cannot read vector: ${section.slice(0, 80)}`);
      const headers: Record<string, string> = {};
      for (const header of headerBlock.split('\n')) {
        const colon = header.indexOf(': ');
        headers[header.slice(0, colon).toLowerCase()] = header.slice(colon + 2);
      }
      const hasBody = section.includes('body (exact bytes):');
      return { method: line[1] ?? '', target: line[2] ?? '', created: Number(created[1]), body: hasBody ? blocks[0] : undefined, headers };
    });
}

describeEachDatabase('the documented signing vectors are real, harmless requests', (kind) => {
  let server: TestServer;
  const vectors = documentedVectors();
  const clock = new TestClock(new Date((vectors[0]?.created ?? 0) * 1000));
  let bpId = '';

  beforeAll(async () => {
    server = await createTestServer(kind, { clock });
    await server.listen();
    bpId = (await new Agent(server.app).signUp(`vectors.${Date.now()}@example.com`, 'Vector Ltd')).activeBpId ?? '';
    // The documentation's key id cannot be issued by the dashboard: register the test key under it directly.
    await server.services.database.db
      .insertInto('keypairs')
      .values({
        id: KEY_ID,
        bp_id: bpId,
        public_key: createPublicKey(createPrivateKey(PRIVATE)).export({ type: 'spki', format: 'pem' }).toString(),
        fingerprint: 'SHA256:rfc9421-test-key',
        source: 'uploaded',
        created_by: null,
        created_by_label: 'test',
        revoked_at: null,
        revoked_by: null,
        revoked_by_label: null,
      })
      .execute();
  });
  afterAll(async () => server.close());

  async function send(vector: Pick<DocumentedVector, 'method' | 'target' | 'body' | 'headers'>) {
    const response = await fetch(`${server.url}${vector.target}`, {
      method: vector.method,
      headers: { ...(vector.body !== undefined ? { 'content-type': 'application/json' } : {}), ...vector.headers },
      ...(vector.body !== undefined ? { body: vector.body } : {}),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('the docs hold three vectors: a plain GET, a POST with a body, and a query with an encoded +', () => {
    expect(vectors.map((v) => `${v.method} ${v.target}`)).toEqual([
      'GET /v1/me',
      'POST /v1/callbacks/verify',
      'GET /v1/transactions?from=2026-01-01T00:00:00%2B01:00&limit=10',
    ]);
    expect(vectors[1]?.headers['content-digest']).toMatch(/^sha-256=:/);
  });

  it('each verifies at Paygate (clock at its created time) and changes nothing', async () => {
    const [me, verify, transactions] = vectors;
    if (me === undefined || verify === undefined || transactions === undefined) throw new Error('vectors missing');
    clock.advance(me.created - clock.now().getTime() / 1000);
    expect(await send(me)).toMatchObject({ status: 200, json: { bpId, keyId: KEY_ID } });

    clock.advance(verify.created - clock.now().getTime() / 1000);
    // Signature accepted; the made-up webhook id is simply not one of ours.
    expect(await send(verify)).toMatchObject({ status: 404, json: { code: 'callback_unknown' } });

    clock.advance(transactions.created - clock.now().getTime() / 1000);
    expect(await send(transactions)).toMatchObject({ status: 200, json: { items: [], page: 1, limit: 10, total: 0 } });

    const db = server.services.database.db;
    expect(await db.selectFrom('transactions').select('id').where('bp_id', '=', bpId).execute()).toEqual([]);
    expect(await db.selectFrom('callback_messages').select('id').where('bp_id', '=', bpId).execute()).toEqual([]);
  });

  it('a raw + in the query is read as a space: the same filter unencoded is refused', async () => {
    const target = '/v1/transactions?from=2026-01-01T00:00:00+01:00&limit=10';
    const headers = signRequest({ method: 'GET', url: target }, { keyId: KEY_ID, privateKey: PRIVATE, created: Math.floor(clock.now().getTime() / 1000) });
    const refused = await send({ method: 'GET', target, body: undefined, headers });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: expect.stringMatching(/\.from$/) })] });
  });
});
