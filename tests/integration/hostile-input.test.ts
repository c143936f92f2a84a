import { signRequest } from '@paygate/protocol';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { type IssuedKey, issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

/**
 * One focused test per class of hostile input the fuzzer found answered with a 500 (or with the
 * wrong error): each must be a 4xx naming the field, identical on both databases, and must change
 * nothing.
 */
describeEachDatabase('hostile input', (kind) => {
  let server: TestServer;
  let owner: Agent;
  let bpId: string;
  let key: IssuedKey;
  let depositAddress: string;

  function fieldsOf(response: LightMyRequestResponse, status = 400, code = 'validation_failed'): string[] {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json() as { code: string; errors?: { field: string }[] };
    expect(problem.code).toBe(code);
    return (problem.errors ?? []).map((e) => e.field);
  }

  function signedPost(url: string, body: string, contentType = 'application/json') {
    const headers = signRequest({ method: 'POST', url, body }, { keyId: key.keyId, privateKey: key.privateKey });
    return server.app.inject({ method: 'POST', url, payload: body, headers: { ...headers, 'content-type': contentType } });
  }

  beforeAll(async () => {
    server = await createTestServer(kind, { allowHttpCallbacks: true });
    owner = new Agent(server.app);
    bpId = (await owner.signUp(`hostile.${kind}@example.com`, 'Hostile Ltd')).activeBpId ?? '';
    expect((await owner.post('/api/auth/reauth', { password: 'correct horse battery' })).statusCode).toBe(200);
    key = await issueKeyPair(owner, bpId);
    const address = await signedPost('/v1/deposit-addresses', JSON.stringify({ network: 'SEP', identifier: 'payer-1' }));
    depositAddress = (address.json() as { address: string }).address;
  });
  afterAll(async () => server.close());

  describe('NUL and unpaired surrogates', () => {
    const unstorable = ['a\u0000b', '\u0000', 'x\ud800', '\udfffy'];

    it('in a body value, at any depth: 400 naming the field, and nothing is stored', async () => {
      for (const bad of unstorable) {
        const signUp = await server.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          payload: { email: `nul.${kind}.${bad.length}.${bad.charCodeAt(0)}@example.com`, password: 'correct horse battery', name: bad, businessName: 'B' },
        });
        expect(fieldsOf(signUp)).toEqual(['body.name']);
        expect(fieldsOf(await owner.request('PATCH', `/api/bps/${bpId}`, { name: bad }))).toEqual(['body.name']);
        expect(fieldsOf(await owner.request('PUT', `/api/bps/${bpId}/ip-allowlist`, { entries: [{ cidr: '10.0.0.0/8', label: bad }] }))).toEqual([
          'body.entries.0.label',
        ]);
        expect(fieldsOf(await signedPost('/v1/callbacks/verify', JSON.stringify({ webhookId: bad })))).toEqual(['body.webhookId']);
        expect(
          fieldsOf(await signedPost('/v1/sandbox/deposits', JSON.stringify({ network: 'SEP', toAddress: `${depositAddress}${bad}`, amount: '1' }))),
        ).toEqual(['body.toAddress']);
      }
      expect((await owner.get(`/api/bps/${bpId}`)).json()).toMatchObject({ name: 'Hostile Ltd' });
      expect((await owner.get(`/api/bps/${bpId}/ip-allowlist`)).json()).toMatchObject({ entries: [] });
    });

    it('in a key, and escaped in JSON text: refused the same way (the key is named with the character escaped)', async () => {
      const key = await server.app.inject({
        method: 'PATCH',
        url: `/api/bps/${bpId}`,
        payload: '{"name":"ok","n\\u0000":1}',
        headers: { 'content-type': 'application/json', cookie: owner.cookie ?? '', 'x-csrf-token': owner.csrf ?? '' },
      });
      expect(fieldsOf(key)).toEqual(['body.n\\u0000']);
      const escaped = await server.app.inject({
        method: 'PATCH',
        url: `/api/bps/${bpId}`,
        payload: '{"name":"\\ud83d"}',
        headers: { 'content-type': 'application/json', cookie: owner.cookie ?? '', 'x-csrf-token': owner.csrf ?? '' },
      });
      expect(fieldsOf(escaped)).toEqual(['body.name']);
      // A surrogate pair is a real character (an emoji) and is fine.
      expect((await owner.request('PATCH', `/api/bps/${bpId}`, { name: 'Hostile Ltd 😀' })).statusCode).toBe(200);
      expect((await owner.request('PATCH', `/api/bps/${bpId}`, { name: 'Hostile Ltd' })).statusCode).toBe(200);
    });

    it('in a query or path parameter: 400 naming it', async () => {
      expect(fieldsOf(await owner.get(`/api/bps/${bpId}/audit-log?action=a%00b`))).toEqual(['querystring.action']);
      expect(fieldsOf(await owner.get(`/api/bps/${bpId}/usage/requests?route=%2Fv1%00`))).toEqual(['querystring.route']);
      expect(fieldsOf(await owner.get(`/api/bps/${bpId}/usage/requests/abcdefgh%00`))).toEqual(['params.requestId']);
      // Authentication still comes first: without a session it is 401, not 400.
      expect((await server.app.inject({ method: 'GET', url: `/api/bps/${bpId}/audit-log?action=%00` })).statusCode).toBe(401);
    });
  });

  describe('date-times', () => {
    const lists = ['/transactions', '/callbacks/deliveries', '/usage/requests'];

    it('outside 0001–9999 after applying the offset: the same 400 on every list filter', async () => {
      for (const list of lists) {
        for (const date of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59', '0001-01-01T00:00:00+00:01', '2023-02-29T00:00:00Z']) {
          expect(fieldsOf(await owner.get(`/api/bps/${bpId}${list}?from=${encodeURIComponent(date)}`)), `${list} ${date}`).toEqual(['querystring.from']);
        }
        for (const date of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00-05:00']) {
          expect((await owner.get(`/api/bps/${bpId}${list}?from=${encodeURIComponent(date)}`)).statusCode, `${list} ${date}`).toBe(200);
        }
      }
      const overview = await owner.get(`/api/bps/${bpId}/usage/overview?range=custom&from=0000-01-01T00%3A00%3A00Z&to=2024-01-01T00%3A00%3A00Z`);
      expect(fieldsOf(overview)).toEqual(['querystring.from']);
      expect(fieldsOf(await owner.post(`/api/bps/${bpId}/callbacks/deliveries/recover`, { since: '9999-12-31T23:59:59-01:00' }))).toEqual(['body.since']);
    });

    it('a filter whose `to` is before its `from` is a 400 on `to`; equal is fine', async () => {
      for (const list of lists) {
        expect(fieldsOf(await owner.get(`/api/bps/${bpId}${list}?from=2024-01-02T00%3A00%3A00Z&to=2024-01-01T00%3A00%3A00Z`)), list).toEqual([
          'querystring.to',
        ]);
        expect((await owner.get(`/api/bps/${bpId}${list}?from=2024-01-01T01%3A00%3A00%2B01%3A00&to=2024-01-01T00%3A00%3A00Z`)).statusCode, list).toBe(200);
      }
    });

    it('a forged request-log cursor carrying an unstorable date or text is a 400 on the cursor', async () => {
      for (const forged of [
        '0000-01-01T00:00:00.000Z|req_abcdefgh',
        '+010000-01-01T00:00:00.000Z|req_abcdefgh',
        '2024-01-01T00:00:00.000Z|req\u0000abcdefgh',
        '2024-01-01T00:00:00.000Z|a|b',
      ]) {
        const cursor = Buffer.from(forged).toString('base64url');
        expect(fieldsOf(await owner.get(`/api/bps/${bpId}/usage/requests?cursor=${cursor}`)), forged).toEqual(['querystring.cursor']);
      }
      const genuine = Buffer.from('2024-01-01T00:00:00.000Z|req_abcdefgh').toString('base64url');
      expect((await owner.get(`/api/bps/${bpId}/usage/requests?cursor=${genuine}`)).statusCode).toBe(200);
    });
  });

  describe('bodies', () => {
    const json = (payload: string | Buffer, contentType = 'application/json') =>
      server.app.inject({ method: 'POST', url: '/api/auth/login', payload, headers: { 'content-type': contentType } });

    it('invalid UTF-8 is malformed JSON, not text silently changed to U+FFFD', async () => {
      for (const bytes of [
        Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
        Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]),
      ]) {
        fieldsOf(await json(bytes), 400, 'malformed_json');
      }
    });

    it('nesting deeper than any call stack is a 400, not a crash', async () => {
      fieldsOf(await json(`${'['.repeat(30_000)}${']'.repeat(30_000)}`));
      const problem = await json(`{"email":${'['.repeat(30_000)}"\\u0000"${']'.repeat(30_000)}}`);
      expect(fieldsOf(problem)).toHaveLength(1);
    });

    it('a body full of bad strings is answered with the first 20 fields', async () => {
      const many = JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, '\u0000'])));
      expect(fieldsOf(await json(many))).toHaveLength(20);
    });
  });

  describe('media types', () => {
    const login = (contentType: string | undefined, payload = JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' })) =>
      server.app.inject({ method: 'POST', url: '/api/auth/login', payload, headers: contentType === undefined ? {} : { 'content-type': contentType } });

    it('JSON with parameters, in any case and spacing, is accepted (here: a wrong password, 401)', async () => {
      for (const contentType of [
        'application/json; charset=utf-8',
        'application/json;charset=UTF-8',
        'APPLICATION/JSON ; CHARSET="utf-8"',
        'application/json; charset=utf8; foo=bar',
        'application/vnd.example+json; charset=utf-8',
      ]) {
        const r = await login(contentType);
        expect(r.statusCode, contentType).toBe(401);
        expect(r.json()).toMatchObject({ code: 'invalid_credentials' });
      }
    });

    it('JSON in another charset → 415 saying so', async () => {
      for (const contentType of ['application/json; charset=iso-8859-1', 'application/json; charset="UTF-16"']) {
        const r = await login(contentType);
        fieldsOf(r, 415, 'unsupported_media_type');
        expect((r.json() as { detail: string }).detail).toMatch(/UTF-8/);
      }
    });

    it('text/plain, forms and bodies without a type → 415, also on routes that take no body', async () => {
      for (const contentType of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', undefined]) {
        fieldsOf(await login(contentType), 415, 'unsupported_media_type');
      }
      const logout = await owner.request('POST', '/api/auth/logout', undefined, { 'content-type': 'text/plain' });
      fieldsOf(logout, 415, 'unsupported_media_type');
      // The signed API the same: a signed text/plain body is refused before it reaches the route.
      fieldsOf(await signedPost('/v1/callbacks/verify', '{"webhookId":"msg_x"}', 'text/plain'), 415, 'unsupported_media_type');
    });
  });

  describe('races', () => {
    it('parallel sign-ups with one e-mail: one account, every other answer 409 email_taken (never a 500)', async () => {
      const email = `race.${kind}@example.com`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          server.app.inject({
            method: 'POST',
            url: '/api/auth/signup',
            payload: { email, password: 'correct horse battery', name: `R${i}`, businessName: `Race ${i}` },
          }),
        ),
      );
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json()).toMatchObject({ code: 'email_taken' });
    });
  });

  describe('the OpenAPI document', () => {
    it('lists 400/413/415 on every operation that reads a body, 410 on sign-up, and errors as application/problem+json', async () => {
      const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
        paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
      };
      let withBody = 0;
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          for (const [status, response] of Object.entries(op.responses)) {
            if (Number(status) >= 400) expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          }
          if (['post', 'put', 'patch', 'delete'].includes(method)) {
            withBody++;
            for (const status of ['400', '413', '415']) expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
          }
        }
      }
      expect(withBody).toBeGreaterThan(30);
      expect(doc.paths['/api/auth/signup']?.post?.responses['410']).toBeDefined();
    });

    it('and sign-up really answers 410 for a used or unknown invitation token', async () => {
      const r = await server.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { email: `late.${kind}@example.com`, password: 'correct horse battery', name: 'Late', invitationToken: 'x'.repeat(43) },
      });
      fieldsOf(r, 410, 'invitation_invalid');
    });
  });
});
