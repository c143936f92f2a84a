import { generateKeyPairSync } from 'node:crypto';
import { signRequest } from '@paygate/protocol';
import fc from 'fast-check';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { describeEachDatabase } from '../support/databases.js';
import { type IssuedKey, issueKeyPair } from '../support/keypairs.js';
import {
  type Answer,
  asParameterText,
  encodeLoosely,
  type Hints,
  HOSTILE_STRINGS,
  type Mutation,
  mutate,
  type Operation,
  operationsOf,
  problemsWith,
  UNSTORABLE_STRINGS,
  validValue,
} from '../support/openapi-fuzz.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

/**
 * Every operation of the OpenAPI document, fed generated requests: valid ones derived from its
 * parameter and body schemas, and hostile ones (NUL, lone surrogates, extreme dates and numbers,
 * wrong types, missing and extra fields, long strings, broken JSON and encodings, odd content
 * types), each with valid credentials, none, or broken ones. Every answer must be a documented
 * status with the documented shape — problem+json for errors — and never a 5xx; the log must
 * not hold a secret or an error line. A fixed seed keeps runs reproducible and the budget keeps
 * the suite fast.
 */
const SEED = 0x5eed_f022;
const REQUESTS_PER_DATABASE = 2000;
const PARALLEL = 4;
const PASSWORD = 'fuzzing horse battery staple';

type AuthMode = 'valid' | 'none' | 'broken';

interface FuzzCase {
  readonly auth: AuthMode;
  readonly params: readonly string[];
  readonly query: readonly string[];
  readonly body: { readonly bytes: Buffer; readonly contentType: string | undefined } | undefined;
  readonly requestId: string | undefined;
}

const RAW_PATH_VALUES = ['%zz', '%', '%C0%AF', '%E0%80', '%ED%A0%80', 'x'.repeat(250), '%00', '%F0%9F%98%80'];

const RAW_BODIES: readonly Buffer[] = [
  '{"a":',
  '{"a":1}{',
  "{'a':1}",
  `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  'x'.repeat(70 * 1024),
  '',
  'null',
  '[]',
  '"text"',
  '1e999',
  '{"a":"\\ud800"}',
  '{"\\u0000":1}',
].map((s) => Buffer.from(s));
const INVALID_UTF8 = [
  Buffer.from([0xff, 0xfe, 0x00]),
  Buffer.from('{"name":"\u00c3\u0028"}', 'latin1'),
  Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]),
];

const CONTENT_TYPES: readonly (string | undefined)[] = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON ; CHARSET="UTF-8"',
  'application/json;charset=utf8',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/vnd.paygate+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
  'application/json; charset',
  'application/jsonx',
  '*/*',
  'application/json, text/plain',
];

/**
 * One request to `op`. Half the cases are clean (valid values, known ids, valid credentials), so
 * requests reach the routes' own rules; the other half carry hostile parts.
 */
/** What a case does wrong, if anything: one thing at a time, so the rest of it is valid and the hostile part reaches as deep as it can. */
type Focus = 'clean' | 'body-text' | 'body-shape' | 'body-raw' | 'content-type' | 'query' | 'path' | 'auth';

function caseArbitrary(op: Operation, pathHints: Hints, queryHints: Hints, bodyHints: Hints): fc.Arbitrary<FuzzCase> {
  const hasBody = op.method !== 'GET';
  const focuses: fc.WeightedArbitrary<Focus>[] = [
    { weight: 4, arbitrary: fc.constant<Focus>('clean') },
    { weight: 1, arbitrary: fc.constant<Focus>('auth') },
  ];
  if (op.body !== undefined) {
    focuses.push({ weight: 5, arbitrary: fc.constant<Focus>('body-text') }, { weight: 2, arbitrary: fc.constant<Focus>('body-shape') });
  }
  if (hasBody) focuses.push({ weight: 1, arbitrary: fc.constant<Focus>('body-raw') }, { weight: 1, arbitrary: fc.constant<Focus>('content-type') });
  if (op.queryParams.length > 0) focuses.push({ weight: 4, arbitrary: fc.constant<Focus>('query') });
  if (op.pathParams.length > 0) focuses.push({ weight: 2, arbitrary: fc.constant<Focus>('path') });

  const validParams = fc.tuple(
    ...op.pathParams.map((p) => {
      const hinted = (pathHints[p.name] ?? []).map(asParameterText);
      const generated = validValue(p.schema, {}).map(asParameterText);
      return hinted.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: generated }) : generated;
    }),
  );
  const validQuery = fc.tuple(
    ...op.queryParams.map((p) => {
      const hinted = queryHints[p.name] ?? [];
      const generated = validValue(p.schema, {});
      return fc.option(hinted.length > 0 ? fc.oneof(fc.constantFrom(...hinted), generated) : generated, { freq: p.required ? 10 : 2 });
    }),
  );
  const bodyValue = op.body === undefined ? fc.constant(undefined) : validValue(op.body, bodyHints);
  const poison = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
  const poisonedBody = op.body === undefined ? fc.constant(undefined) : validValue(op.body, bodyHints, 0, poison);
  const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'Application/JSON;Charset=UTF-8'];

  return fc
    .record({
      focus: fc.oneof(...focuses),
      params: validParams,
      query: validQuery,
      body: bodyValue,
      poisonedBody,
      contentType: fc.constantFrom(...jsonTypes),
      where: fc.nat(),
      what: fc.nat(),
      text: poison,
      auth: fc.constantFrom<AuthMode>('none', 'broken'),
      mutation: fc.constantFrom<Mutation>('number', 'wrong-type', 'drop-field', 'extra-field', 'hostile-key'),
      rawBody: fc.constantFrom(...RAW_BODIES, ...INVALID_UTF8),
      oddType: fc.constantFrom(...CONTENT_TYPES),
      rawPath: fc.constantFrom(...RAW_PATH_VALUES),
      rawQuery: fc.constantFrom('bogus=1', 'limit=1&limit=2', 'from=%zz', 'a=%00', `x=${'y'.repeat(3000)}`, '%=%', 'cursor[]=1'),
      requestId: fc.option(fc.constantFrom('fuzz-trace-0001', 'bad id', 'x'.repeat(200), '\u00e9'.repeat(8)), { freq: 8 }),
    })
    .map((g): FuzzCase => {
      const params = g.params.map(encodeLoosely);
      const query = op.queryParams.flatMap((p, i) => {
        const v = g.query[i];
        return v === null || v === undefined ? [] : [`${p.name}=${encodeLoosely(asParameterText(v))}`];
      });
      let body = g.body;
      let bytes: Buffer | undefined = body === undefined ? undefined : Buffer.from(JSON.stringify(body) ?? 'null');
      let contentType: string | undefined = g.contentType;
      switch (g.focus) {
        case 'body-text':
          body = g.what % 4 === 0 ? mutate(g.poisonedBody, 'hostile-key', g.where, g.what) : g.poisonedBody;
          bytes = Buffer.from(JSON.stringify(body) ?? 'null');
          break;
        case 'body-shape':
          bytes = Buffer.from(JSON.stringify(mutate(body, g.mutation, g.where, g.what)) ?? 'null');
          break;
        case 'body-raw':
          bytes = g.rawBody;
          contentType = 'application/json';
          break;
        case 'content-type':
          bytes ??= Buffer.from('{}');
          contentType = g.oddType;
          break;
        case 'query': {
          const i = g.where % (op.queryParams.length + 1);
          const p = op.queryParams[i];
          if (p === undefined) query.push(g.rawQuery);
          else query.splice(0, query.length, ...query.filter((q) => !q.startsWith(`${p.name}=`)), `${p.name}=${encodeLoosely(g.text)}`);
          break;
        }
        case 'path': {
          const i = g.where % op.pathParams.length;
          params[i] = g.what % 4 === 0 ? g.rawPath : encodeLoosely(g.text);
          break;
        }
        default:
          break;
      }
      return {
        auth: g.focus === 'auth' ? g.auth : 'valid',
        params: params.map((p) => (p === '' ? 'x' : p)),
        query,
        body: hasBody && bytes !== undefined ? { bytes, contentType } : undefined,
        requestId: g.requestId ?? undefined,
      };
    });
}

describeEachDatabase('OpenAPI fuzz', (kind) => {
  let server: TestServer;
  let pool: Pool;
  const logs: string[] = [];
  let owner: Agent;
  let bpId: string;
  let key: IssuedKey;
  const spareSessions: { cookie: string; csrf: string }[] = [];
  let pathHints: Hints;
  let queryHints: Hints;
  let bodyHints: Hints;
  const secrets = new Set<string>([PASSWORD]);

  async function signed(method: 'GET' | 'POST', url: string, body?: unknown) {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = signRequest(
      { method, url, headers: text === undefined ? {} : { 'content-type': 'application/json' }, ...(text !== undefined ? { body: text } : {}) },
      { keyId: key.keyId, privateKey: key.privateKey },
    );
    const r = await server.app.inject({
      method,
      url,
      headers: { ...headers, ...(text !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(text !== undefined ? { payload: text } : {}),
    });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return { json: r.json() as Record<string, unknown>, requestId: String(r.headers['x-request-id']) };
  }

  beforeAll(async () => {
    server = await createTestServer(kind, {
      allowHttpCallbacks: true,
      logger: createLogger('info', {
        write: (line: string) => {
          logs.push(line);
        },
      }),
    });
    await server.listen();
    pool = new Pool(server.url, { connections: PARALLEL });
    owner = new Agent(server.app);
    const ownerEmail = `fuzz.${kind}@example.com`;
    const session = await owner.signUp(ownerEmail, 'Fuzz Ltd', PASSWORD);
    bpId = session.activeBpId ?? '';
    const userId = session.user.id;
    expect((await owner.post('/api/auth/reauth', { password: PASSWORD })).statusCode).toBe(200);
    key = await issueKeyPair(owner, bpId);
    // Log-outs end a session: each valid one spends a spare, never the owner's.
    for (let i = 0; i < 16; i++) {
      const spare = new Agent(server.app);
      expect((await spare.logIn(ownerEmail, PASSWORD)).statusCode).toBe(200);
      spareSessions.push({ cookie: spare.cookie ?? '', csrf: spare.csrf ?? '' });
    }
    const invite = await owner.post(`/api/bps/${bpId}/invitations`, { email: 'invitee@example.com', role: 'developer' });
    const invitation = invite.json() as { invitation: { id: string }; url: string };
    const invitationToken = invitation.url.split('/').pop() ?? '';
    const settings = await owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls: { deposit: { url: 'http://127.0.0.1:9/cb' } } });
    expect(settings.statusCode, settings.body).toBe(200);
    const test = await owner.post(`/api/bps/${bpId}/callbacks/test`, { kind: 'deposit' });
    const { deliveryId, messageId } = test.json() as { deliveryId: string; messageId: string };
    const eth = (await signed('POST', '/v1/deposit-addresses', { network: 'SEP', identifier: 'fuzz-user' })).json.address as string;
    const trx = (await signed('POST', '/v1/deposit-addresses', { network: 'TRX-SHASTA', identifier: 'fuzz-user' })).json.address as string;
    await signed('POST', '/v1/sandbox/deposits', { network: 'SEP', toAddress: eth, amount: '5' });
    const pending = await signed('POST', '/v1/sandbox/deposits', { network: 'SEP', toAddress: eth, amount: '1', outcome: 'pending' });
    const payout = await signed('POST', '/v1/payouts', { referenceId: 'fuzz-payout', to: eth, amount: '0.1', network: 'SEP' });
    const { publicKey } = generateKeyPairSync('ed25519');
    pathHints = {
      bpId: [bpId],
      userId: [userId],
      invitationId: [invitation.invitation.id],
      token: [invitationToken],
      deliveryId: [deliveryId],
      id: [String(pending.json.id), String(payout.json.id)],
      requestId: [pending.requestId],
    };
    queryHints = {
      from: ['2020-01-01T00:00:00Z', '2999-01-01T00:00:00+01:00'],
      to: ['2030-01-01T00:00:00Z', '2019-12-31T23:59:59Z'],
      keyId: [key.keyId],
      route: ['/v1/me', '/v1/payouts'],
      tz: ['UTC', 'Europe/Berlin', 'Mars/Olympus'],
    };
    bodyHints = {
      bpId: [bpId],
      email: [ownerEmail, 'invitee@example.com'],
      password: [PASSWORD],
      invitationToken: [invitationToken],
      network: ['SEP', 'TRX-SHASTA', 'ETH', 'TRX'],
      token: ['USDT'],
      amount: ['1', '0.000001', '12.5', '1000000000000', '0.0000000000000000001'],
      requestedAmount: ['10'],
      requestedCurrency: ['USD', 'USDT', 'ETH'],
      to: [eth, trx],
      toAddress: [eth, trx],
      fromAddress: [eth],
      identifier: ['fuzz-user'],
      referenceId: ['fuzz-payout', 'fuzz-other'],
      webhookId: [messageId],
      since: ['2020-01-01T00:00:00Z'],
      publicKey: [publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      cidr: ['10.0.0.0/8', '127.0.0.1/32', '::1/128', '10.0.0.1/8'],
      url: ['http://127.0.0.1:9/cb', 'https://example.com/cb', 'ftp://x'],
      code: ['123456'],
      totpCode: ['123456'],
    };
    for (const s of [owner.cookie?.replace('paygate_session=', ''), owner.csrf, key.privateKey.split('\n')[1], ...spareSessions.map((s) => s.csrf)]) {
      if (s !== undefined && s.length >= 16) secrets.add(s);
    }
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    await server?.close();
  });

  /** Undo what a fuzzed request changed that later requests rely on (our key, our allowlist). */
  async function repair(op: Operation, answer: Answer): Promise<void> {
    if (answer.status >= 300) return;
    if (op.method === 'POST' && op.path === '/api/bps/{bpId}/keypairs') {
      const issued = JSON.parse(answer.body) as { keypair: { id: string }; privateKey?: unknown };
      key =
        typeof issued.privateKey === 'string'
          ? { keyId: issued.keypair.id, privateKey: issued.privateKey, keyFile: '' }
          : await issueKeyPair(owner, bpId, true);
    }
    if (op.method === 'PUT' && op.path === '/api/bps/{bpId}/ip-allowlist') await owner.request('PUT', `/api/bps/${bpId}/ip-allowlist`, { entries: [] });
  }

  /** Secrets a response hands out, so the log check knows them too. */
  function rememberSecrets(body: string): void {
    const visit = (value: unknown, name: string) => {
      if (typeof value === 'string' && /secret|privateKey|csrfToken|keyFile/i.test(name) && value.length >= 16) {
        for (const line of value.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) secrets.add(line);
      } else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) visit(v, k);
      }
    };
    try {
      visit(JSON.parse(body), '');
    } catch {
      // Not JSON: nothing handed out.
    }
  }

  async function send(op: Operation, c: FuzzCase): Promise<Answer | undefined> {
    let path = op.path;
    op.pathParams.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, c.params[i] ?? 'x');
    });
    const raw = c.query.length > 0 ? `${path}?${c.query.join('&')}` : path;
    // Send exactly what a signer sees (URL parsing normalises some spellings).
    const normalised = new URL(raw, 'http://placeholder.invalid');
    if (normalised.pathname !== path) return undefined;
    const target = `${normalised.pathname}${normalised.search}`;
    const headers: Record<string, string> = {};
    if (c.body?.contentType !== undefined) headers['content-type'] = c.body.contentType;
    if (c.requestId !== undefined) headers['x-request-id'] = c.requestId;
    if (op.auth === 'session' && c.auth !== 'none') {
      const spare = op.path === '/api/auth/logout' && c.auth === 'valid' ? spareSessions.pop() : undefined;
      const cookie = spare?.cookie ?? owner.cookie ?? '';
      const csrf = spare?.csrf ?? owner.csrf ?? '';
      if (c.auth === 'valid' && (op.path !== '/api/auth/logout' || spare !== undefined)) {
        headers.cookie = cookie;
        headers['x-csrf-token'] = csrf;
      } else {
        headers.cookie = 'paygate_session=not-a-session-token-at-all';
        headers['x-csrf-token'] = 'nope';
      }
    }
    if (op.auth === 'signature' && c.auth !== 'none') {
      const signedHeaders = signRequest(
        { method: op.method, url: target, ...(c.body !== undefined ? { body: c.body.bytes } : {}) },
        { keyId: key.keyId, privateKey: key.privateKey },
      );
      Object.assign(headers, signedHeaders);
      if (c.auth === 'broken') headers.signature = signedHeaders.signature?.replace(/[A-Za-z]/, (ch) => (ch === 'A' ? 'B' : 'A')) ?? '';
    }
    const response = await pool.request({ method: op.method, path: target, headers, ...(c.body !== undefined ? { body: c.body.bytes } : {}) });
    const body = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body };
  }

  it('every operation answers generated and hostile requests with a documented status and shape, never a 5xx', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as unknown;
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(50);
    const perOperation = Math.ceil(REQUESTS_PER_DATABASE / operations.length);
    const work = operations.flatMap((op, i) =>
      fc.sample(caseArbitrary(op, pathHints, queryHints, bodyHints), { seed: SEED + i, numRuns: perOperation }).map((c) => ({ op, c })),
    );
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    let skipped = 0;
    let serverErrors = 0;
    let next = 0;
    const worker = async () => {
      for (let item = work[next++]; item !== undefined; item = work[next++]) {
        const { op, c } = item;
        const answer = await send(op, c);
        if (answer === undefined) {
          skipped++;
          continue;
        }
        sent++;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500) serverErrors++;
        const problems = problemsWith(op, answer);
        if (problems.length > 0) {
          failures.push(
            `${op.method} ${op.path} [auth ${c.auth}] params=${JSON.stringify(c.params)} query=${JSON.stringify(c.query)} ` +
              `body=${JSON.stringify(c.body?.bytes.toString('utf8').slice(0, 200))} ct=${String(c.body?.contentType)} → ${answer.status}: ${problems.join('; ')} ${answer.body.slice(0, 300)}`,
          );
        }
        rememberSecrets(answer.body);
        await repair(op, answer);
        // Write the usage log now and then, so the usage routes answer with real rows too.
        if (sent % 250 === 0) await server.services.requestLog?.flush();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));

    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    console.log(
      `[fuzz ${kind}] ${sent} requests over ${operations.length} operations (seed ${SEED}, ${skipped} skipped): ${serverErrors} 5xx, ${failures.length} failing; ${byStatus.join(' ')}`,
    );
    expect(failures.slice(0, 15), `${failures.length} answers broke the documented contract`).toEqual([]);
    expect(serverErrors).toBe(0);
    // Enough of the budget reached the routes' own logic, not just the validators.
    expect((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) + (statuses.get(202) ?? 0) + (statuses.get(204) ?? 0)).toBeGreaterThan(sent / 10);

    // The usage log took every signed request the fuzzer made, hostile ones included.
    await server.services.requestLog?.flush();
    const usage = await owner.get(`/api/bps/${bpId}/usage/requests?limit=200`);
    expect(usage.statusCode).toBe(200);
    expect((usage.json() as { items: unknown[] }).items.length).toBeGreaterThan(100);

    // Still alive, nothing logged as an error, no secret in any log line.
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const errorLines = logs.filter((line) => /"level":(50|60)/.test(line));
    expect(errorLines.slice(0, 5)).toEqual([]);
    const leaked = [...secrets].filter((secret) => logs.some((line) => line.includes(secret)));
    expect(leaked.map((s) => `${s.slice(0, 6)}…`)).toEqual([]);
  }, 300_000);
});
