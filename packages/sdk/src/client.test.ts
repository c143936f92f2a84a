import { generateKeyPairSync } from 'node:crypto';
import { parseSignatureHeaders, serializeKeyFile } from '@paygate/protocol';
import { describe, expect, it } from 'vitest';
import { Paygate } from './client.js';
import { PaygateApiError, PaygateConnectionError } from './errors.js';

const KEY_ID = 'kp_01kdw3hh8gzq2t1j5a8v6m4c0b';
const { privateKey } = generateKeyPairSync('ed25519');
const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A scripted fetch: answers the queued responses in order and records every request. */
function scripted(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: String(init?.method),
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body === undefined ? undefined : String(init.body),
    });
    const next = responses.shift();
    if (next === undefined) throw new Error('no scripted response left');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `urn:paygate:error:${code}`, title: code, status, code, detail: `detail of ${code}`, requestId: 'req_abc' }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req_abc', ...headers },
  });

describe('Paygate SDK client', () => {
  it('signs every request; the body gets a Content-Digest that the signature covers', async () => {
    const { calls, fetchImpl } = scripted([new Response('{"ok":true}', { status: 200 })]);
    const paygate = new Paygate({ baseUrl: 'https://pay.example.com/', keyId: KEY_ID, privateKey: pem, fetch: fetchImpl });
    expect(await paygate.request('POST', '/v1/things', { body: { amount: '1.00' }, query: { dry: true, skip: undefined } })).toEqual({ ok: true });
    const call = calls[0];
    expect(call?.url).toBe('https://pay.example.com/v1/things?dry=true');
    expect(call?.body).toBe('{"amount":"1.00"}');
    const parsed = parseSignatureHeaders(call?.headers ?? {});
    expect(parsed.components).toEqual(['@method', '@path', '@query', 'content-digest']);
    expect(parsed.params).toMatchObject({ keyid: KEY_ID, alg: 'ed25519' });
    expect(call?.headers['content-digest']).toMatch(/^sha-256=:/);
  });

  it('retries an idempotent request after a 503 and a network error, re-signing each attempt', async () => {
    const { calls, fetchImpl } = scripted([
      problem(503, 'database_unavailable', { 'retry-after': '0' }),
      new TypeError('fetch failed'),
      new Response('{"bpId":"bp_1"}', { status: 200 }),
    ]);
    const paygate = new Paygate({ baseUrl: 'https://pay.example.com', keyId: KEY_ID, privateKey: pem, fetch: fetchImpl, maxRetries: 2 });
    expect(await paygate.me()).toEqual({ bpId: 'bp_1' });
    expect(calls).toHaveLength(3);
    const nonces = calls.map((c) => parseSignatureHeaders(c.headers).params.nonce);
    expect(new Set(nonces).size).toBe(3);
  });

  it('does not retry a POST (it might act twice), nor a 4xx', async () => {
    const post = scripted([problem(503, 'database_unavailable')]);
    const paygate = new Paygate({ baseUrl: 'https://pay.example.com', keyId: KEY_ID, privateKey: pem, fetch: post.fetchImpl, maxRetries: 3 });
    await expect(paygate.request('POST', '/v1/payouts', { body: {} })).rejects.toMatchObject({ code: 'database_unavailable', status: 503 });
    expect(post.calls).toHaveLength(1);
    const revoked = scripted([problem(401, 'key_revoked')]);
    const client = new Paygate({ baseUrl: 'https://pay.example.com', keyId: KEY_ID, privateKey: pem, fetch: revoked.fetchImpl, maxRetries: 3 });
    const error = await client.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaygateApiError);
    expect(error).toMatchObject({ code: 'key_revoked', status: 401, requestId: 'req_abc', message: 'key_revoked: detail of key_revoked' });
    expect(revoked.calls).toHaveLength(1);
  });

  it('gives up with PaygateConnectionError after the retries, and tolerates non-problem error bodies', async () => {
    const down = scripted([new TypeError('ECONNREFUSED'), new TypeError('ECONNREFUSED')]);
    const paygate = new Paygate({ baseUrl: 'https://pay.example.com', keyId: KEY_ID, privateKey: pem, fetch: down.fetchImpl, maxRetries: 1 });
    await expect(paygate.me()).rejects.toBeInstanceOf(PaygateConnectionError);
    const proxy = scripted([new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'req_proxy' } })]);
    const viaProxy = new Paygate({ baseUrl: 'https://pay.example.com', keyId: KEY_ID, privateKey: pem, fetch: proxy.fetchImpl, maxRetries: 0 });
    await expect(viaProxy.me()).rejects.toMatchObject({ status: 502, code: 'internal_error', requestId: 'req_proxy' });
  });

  it('loads the dashboard key file, and refuses bad configuration', () => {
    const file = serializeKeyFile({ keyId: KEY_ID, bpId: 'bp_1', privateKey: pem, baseUrl: 'https://pay.example.com', createdAt: new Date(0).toISOString() });
    const paygate = Paygate.fromKeyFile(file);
    expect(paygate.keyId).toBe(KEY_ID);
    expect(paygate.baseUrl).toBe('https://pay.example.com');
    expect(Paygate.fromKeyFile(file, { baseUrl: 'http://127.0.0.1:3000' }).baseUrl).toBe('http://127.0.0.1:3000');
    expect(() => Paygate.fromKeyFile('{"type":"something-else"}')).toThrow(/Not a Paygate key file/);
    expect(() => new Paygate({ baseUrl: 'ftp://x', keyId: KEY_ID, privateKey: pem })).toThrow(/baseUrl/);
    expect(() => new Paygate({ baseUrl: 'https://x', keyId: 'key-1', privateKey: pem })).toThrow(/keyId/);
  });
});
