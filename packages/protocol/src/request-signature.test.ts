import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appendSignature, createSignature, verifySignature } from 'http-message-sig';
import { describe, expect, it } from 'vitest';
import { checkContentDigest, contentDigest } from './content-digest.js';
import { parseSignatureHeaders, SignatureFormatError, signatureBase, signRequest, verifyRequestSignature } from './request-signature.js';
import { parseDictionary } from './structured-fields.js';

/** RFC 9421 §B.1.4 test key. */
const PRIVATE = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----`;
const PUBLIC = createPublicKey(createPrivateKey(PRIVATE));
const KEY_ID = 'kp_01kdw3hh8gzq2t1j5a8v6m4c0b';
const docs = readFileSync(new URL('../../../docs/request-signing.md', import.meta.url), 'utf8');

const VECTORS = [
  {
    name: 'GET /v1/me',
    request: { method: 'GET', url: '/v1/me' },
    created: 1767225600,
    nonce: 'bWF6ZS1ub25jZS0wMDAx',
    base: [
      '"@method": GET',
      '"@path": /v1/me',
      '"@query": ?',
      '"@signature-params": ("@method" "@path" "@query");created=1767225600;keyid="kp_01kdw3hh8gzq2t1j5a8v6m4c0b";alg="ed25519";nonce="bWF6ZS1ub25jZS0wMDAx"',
    ].join('\n'),
    signature: 'sig1=:TwfHi+a/yCsrq1sEpqu+i5rk2XkadMpuY0MIjTiKCnAg7FRPVwccgD8g8ignbbpUb8yGlJm/XsCwKUU/S1jnDA==:',
  },
  {
    name: 'POST /v1/callbacks/verify',
    request: {
      method: 'POST',
      url: '/v1/callbacks/verify',
      headers: { 'content-type': 'application/json' },
      body: '{"webhookId":"msg_01kdw3hh8gzq2t1j5a8v6m4c0b"}',
    },
    created: 1767225660,
    nonce: 'bWF6ZS1ub25jZS0wMDAy',
    base: [
      '"@method": POST',
      '"@path": /v1/callbacks/verify',
      '"@query": ?',
      '"content-digest": sha-256=:BUIlc5dSpkTkE6OjwPzIgyVCmFnc1xF2EQdysIy+E4c=:',
      '"@signature-params": ("@method" "@path" "@query" "content-digest");created=1767225660;keyid="kp_01kdw3hh8gzq2t1j5a8v6m4c0b";alg="ed25519";nonce="bWF6ZS1ub25jZS0wMDAy"',
    ].join('\n'),
    signature: 'sig1=:Wc5dUAUPRNBBrVn52l64bhIF1GoFlrA0blHAHLjMBSf9sNEaHYu9cXcw2kmsJ9LHCUXVzcj6RkM3OAHub0OJAw==:',
  },
  {
    name: 'GET /v1/transactions?from=…%2B01:00&limit=10',
    request: { method: 'GET', url: '/v1/transactions?from=2026-01-01T00:00:00%2B01:00&limit=10' },
    created: 1767225720,
    nonce: 'bWF6ZS1ub25jZS0wMDAz',
    base: [
      '"@method": GET',
      '"@path": /v1/transactions',
      '"@query": ?from=2026-01-01T00:00:00%2B01:00&limit=10',
      '"@signature-params": ("@method" "@path" "@query");created=1767225720;keyid="kp_01kdw3hh8gzq2t1j5a8v6m4c0b";alg="ed25519";nonce="bWF6ZS1ub25jZS0wMDAz"',
    ].join('\n'),
    signature: 'sig1=:mQdPlTc+Gj9eqUHp5ChGAV1ylPhBnEArawl/3UQd/JwFVVsgSOaXG6k/5lZqB7/U1Vh2uSEKjvSO6jq+ADD9AA==:',
  },
];

describe('request signing test vectors (docs/request-signing.md)', () => {
  for (const vector of VECTORS) {
    it(`${vector.name}: signature base and signature match, and the doc shows the same`, () => {
      const headers = signRequest(vector.request, { keyId: KEY_ID, privateKey: PRIVATE, created: vector.created, nonce: vector.nonce });
      expect(headers.signature).toBe(vector.signature);
      const parsed = parseSignatureHeaders(headers);
      const target = vector.request.url;
      const allHeaders = { ...(vector.request.headers ?? {}), ...headers };
      expect(signatureBase({ method: vector.request.method, target, headers: allHeaders }, parsed.components, parsed.signatureParams)).toBe(vector.base);
      expect(verifyRequestSignature({ method: vector.request.method, target, headers: allHeaders }, parsed, PUBLIC)).toBe(true);
      expect(docs).toContain(vector.base);
      expect(docs).toContain(`Signature: ${vector.signature}`);
      expect(docs).toContain(`Signature-Input: ${headers['signature-input']}`);
    });
  }

  it('reproduces RFC 9421 §B.2.6 (ed25519) with the generic signature base', () => {
    const headers = {
      date: 'Tue, 20 Apr 2021 02:07:55 GMT',
      'content-type': 'application/json',
      'content-length': '18',
      'signature-input': 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      signature: 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
    };
    const parts = { method: 'POST', target: '/foo?param=Value&Pet=dog', authority: 'example.com', headers };
    const parsed = parseSignatureHeaders(headers);
    const base = signatureBase(parts, parsed.components, parsed.signatureParams);
    expect(Buffer.from(sign(null, Buffer.from(base), createPrivateKey(PRIVATE))).toString('base64')).toBe(Buffer.from(parsed.signature).toString('base64'));
    expect(verifyRequestSignature(parts, parsed, PUBLIC)).toBe(true);
  });
});

describe('interoperability with an independent RFC 9421 implementation (http-message-sig)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('our signatures verify with http-message-sig', async () => {
    const body = '{"hello":"world"}';
    const headers = signRequest(
      { method: 'POST', url: 'https://pay.example.com/v1/things?a=1', headers: { 'content-type': 'application/json' }, body },
      { keyId: KEY_ID, privateKey },
    );
    const request = new Request('https://pay.example.com/v1/things?a=1', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const verified = await verifySignature(request, {
      policy: {
        algorithms: ['ed25519'],
        requiredComponents: ['@method', '@path', '@query', 'content-digest'],
        requiredParameters: ['created', 'keyid', 'nonce'],
        maxAge: 300,
      },
      resolveVerifier: () => ({ algorithm: 'ed25519', verify: (data: Uint8Array, signature: Uint8Array) => verify(null, data, publicKey, signature) }),
    });
    expect(verified.label).toBe('sig1');
  });

  it("http-message-sig's signatures verify with ours", async () => {
    const request = new Request('https://pay.example.com/v1/me?x=%20y', { method: 'GET' });
    const fields = await createSignature(request, {
      label: 'partner',
      components: ['@method', '@path', '@query', '@authority'],
      parameters: { created: Math.floor(Date.now() / 1000), keyid: KEY_ID, alg: 'ed25519', nonce: 'independent-nonce-0001' },
      signer: { algorithm: 'ed25519', sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)) },
    });
    const signed = appendSignature(new Headers(), fields);
    const headers = { 'signature-input': signed.get('signature-input') ?? '', signature: signed.get('signature') ?? '' };
    const parsed = parseSignatureHeaders(headers);
    expect(parsed.label).toBe('partner');
    expect(parsed.params).toMatchObject({ keyid: KEY_ID, alg: 'ed25519', nonce: 'independent-nonce-0001' });
    expect(verifyRequestSignature({ method: 'GET', target: '/v1/me?x=%20y', authority: 'pay.example.com', headers }, parsed, publicKey)).toBe(true);
    expect(verifyRequestSignature({ method: 'GET', target: '/v1/me?x=%20z', authority: 'pay.example.com', headers }, parsed, publicKey)).toBe(false);
  });
});

describe('tampering is detected by verification', () => {
  const body = '{"amount":"1.00"}';
  const headers = signRequest({ method: 'POST', url: '/v1/payouts?x=1', body }, { keyId: KEY_ID, privateKey: PRIVATE });
  const parsed = parseSignatureHeaders(headers);
  const ok = { method: 'POST', target: '/v1/payouts?x=1', headers };
  it('accepts the untouched request', () => {
    expect(verifyRequestSignature(ok, parsed, PUBLIC)).toBe(true);
    expect(checkContentDigest(headers['content-digest'] ?? '', body)).toBe('match');
  });
  it.each([
    ['method', { ...ok, method: 'PUT' }],
    ['path', { ...ok, target: '/v1/payoutz?x=1' }],
    ['query', { ...ok, target: '/v1/payouts?x=2' }],
    ['missing query', { ...ok, target: '/v1/payouts' }],
    ['content-digest header', { ...ok, headers: { ...headers, 'content-digest': contentDigest('{"amount":"9.00"}') } }],
  ])('refuses a changed %s', (_name, parts) => {
    expect(verifyRequestSignature(parts, parsed, PUBLIC)).toBe(false);
  });
  it('a changed body no longer matches its digest', () => {
    expect(checkContentDigest(headers['content-digest'] ?? '', '{"amount":"9.00"}')).toBe('mismatch');
    expect(checkContentDigest('md5=:AAAA:', body)).toBe('unsupported');
    expect(checkContentDigest('sha-256=notbytes', body)).toBe('malformed');
  });
  it('refuses changed created, keyid or nonce parameters (they are signed)', () => {
    for (const [from, to] of [
      [/created=\d+/, 'created=1'],
      [/keyid="[^"]+"/, 'keyid="kp_01kdw3hh8gzq2t1j5a8v6m4c0c"'],
      [/nonce="[^"]+"/, 'nonce="another-nonce-value"'],
    ] as const) {
      const tampered = { ...headers, 'signature-input': (headers['signature-input'] ?? '').replace(from, to) };
      expect(verifyRequestSignature({ ...ok, headers: tampered }, parseSignatureHeaders(tampered), PUBLIC)).toBe(false);
    }
  });
});

describe('parsing signature headers', () => {
  it('reports missing and malformed headers distinctly', () => {
    expect(() => parseSignatureHeaders({})).toThrow(expect.objectContaining({ reason: 'missing' }));
    for (const headers of [
      { 'signature-input': 'sig1=("@method"', signature: 'sig1=:AAAA:' },
      { 'signature-input': 'sig1=("@method");created=1', signature: 'sig2=:AAAA:' },
      { 'signature-input': 'sig1="not-a-list"', signature: 'sig1=:AAAA:' },
      { 'signature-input': 'sig1=("@method");created=1', signature: 'sig1="not-bytes"' },
      { 'signature-input': 'sig1=("@method" "@method");created=1', signature: 'sig1=:AAAA:' },
      { 'signature-input': 'sig1=("@method";req);created=1', signature: 'sig1=:AAAA:' },
      { 'signature-input': 'sig1=("@method");created=1.5', signature: 'sig1=:AAAA:' },
    ]) {
      expect(() => parseSignatureHeaders(headers), JSON.stringify(headers)).toThrow(SignatureFormatError);
      try {
        parseSignatureHeaders(headers);
      } catch (error: unknown) {
        expect((error as SignatureFormatError).reason).toBe('malformed');
      }
    }
  });

  it('parses RFC 8941 dictionaries strictly', () => {
    const dict = parseDictionary('a=1, b=?0, c="x\\"y";p=tok, d=:AQI=:, e=(1 2);q');
    expect([...dict.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(() => parseDictionary('a=1,')).toThrow();
    expect(() => parseDictionary('A=1')).toThrow();
    expect(() => parseDictionary('a="\u00e9"')).toThrow();
  });
});
