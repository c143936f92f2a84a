import { akashicSignature, canonicalJson, isPortableBody } from '@paygate/protocol';
import { expect, it } from 'vitest';
import { describeWithSdkPrograms, type SignedBody, sdkVerify } from '../support/sdk-verifiers.js';

const SECRET = 'whsec_c2VjcmV0LWtleS1vbmUtMzItYnl0ZXMtbG9uZy4uLi4=';
const BASE = { amount: '249.75', callbackType: 'deposit', confirmations: 19, identifier: 'user-1', internalFee: { deposit: '0.25' }, settled: true };

/**
 * What each SDK's re-serialisation does with a body Paygate signed (body = canonical JSON, signed
 * as is). `go` / `php`: does the SDK's Signature check pass? `portable`: does the profile allow it?
 * The expectations follow the encoders' documented behaviour; the programs must show exactly it —
 * which proves they re-serialise as the SDKs do (not merely echo the body), and that every body
 * an SDK breaks on is one the profile refuses.
 */
const CASES: readonly { name: string; payload: Record<string, unknown>; portable: boolean; go: boolean; php: boolean }[] = [
  { name: 'a portable body', payload: BASE, portable: true, go: true, php: true },
  {
    name: 'portable punctuation: " \\ / and friends',
    payload: { ...BASE, note: 'a "b" \\ c/d (e) [f] {g} #$%*+,-.:;?@^_`|~!' },
    portable: true,
    go: true,
    php: true,
  },
  { name: 'an empty object (internalFee: {})', payload: { ...BASE, internalFee: {} }, portable: false, go: true, php: false },
  { name: '&', payload: { ...BASE, identifier: 'a&b' }, portable: false, go: false, php: true },
  { name: '<', payload: { ...BASE, identifier: 'a<b' }, portable: false, go: false, php: true },
  { name: '>', payload: { ...BASE, identifier: 'a>b' }, portable: false, go: false, php: true },
  { name: 'U+2028', payload: { ...BASE, identifier: 'a\u2028b' }, portable: false, go: false, php: false },
  { name: 'U+2029', payload: { ...BASE, identifier: 'a\u2029b' }, portable: false, go: false, php: false },
  { name: 'non-ASCII é', payload: { ...BASE, identifier: 'café' }, portable: false, go: true, php: false },
  { name: 'an emoji (surrogate pair)', payload: { ...BASE, identifier: '😀' }, portable: false, go: true, php: false },
  { name: 'a lone surrogate', payload: { ...BASE, identifier: '\ud800' }, portable: false, go: false, php: false },
  { name: 'backspace (Go 1.19 writes \\u0008, JS \\b)', payload: { ...BASE, identifier: 'a\bb' }, portable: false, go: false, php: true },
  { name: 'newline', payload: { ...BASE, identifier: 'a\nb' }, portable: false, go: true, php: true },
  { name: 'null (some encoders drop null members)', payload: { ...BASE, referenceId: null }, portable: false, go: true, php: true },
  { name: "' and = (Gson's default HTML-safe escaping)", payload: { ...BASE, identifier: "a'b=c" }, portable: false, go: true, php: true },
  { name: 'a list of 11 (ksort(SORT_STRING) puts "10" after "1")', payload: { ...BASE, list: [...'abcdefghijk'] }, portable: false, go: true, php: false },
  { name: 'numeric member names (PHP makes a list of them)', payload: { ...BASE, extra: { '0': 'a', '1': 'b' } }, portable: false, go: true, php: false },
  { name: 'an integer beyond PHP_INT_MAX', payload: { ...BASE, confirmations: 12345678901234567000 }, portable: false, go: true, php: false },
  { name: 'a tiny number written with an exponent', payload: { ...BASE, confirmations: 1e-7 }, portable: false, go: true, php: false },
  { name: 'a fraction', payload: { ...BASE, confirmations: 0.1 }, portable: false, go: true, php: true },
  { name: 'a huge number written with an exponent', payload: { ...BASE, confirmations: 1e21 }, portable: false, go: true, php: false },
  { name: 'the largest safe integer', payload: { ...BASE, confirmations: Number.MAX_SAFE_INTEGER }, portable: true, go: true, php: true },
];

describeWithSdkPrograms('the Go and PHP programs re-serialise like the AkashicPay SDKs', () => {
  it('accept exactly the bodies their SDKs accept, and the profile refuses every body either breaks on', async () => {
    const signed: SignedBody[] = CASES.map((c) => ({ secret: SECRET, body: canonicalJson(c.payload), signature: akashicSignature(SECRET, c.payload) }));
    const [go, php] = await Promise.all([sdkVerify('go', signed), sdkVerify('php', signed)]);
    const seen = CASES.map((c, i) => ({ name: c.name, portable: isPortableBody(c.payload), go: go[i]?.match, php: php[i]?.match }));
    expect(seen).toEqual(CASES.map((c) => ({ name: c.name, portable: c.portable, go: c.go, php: c.php })));
    for (const [i, c] of CASES.entries()) {
      // A match means the SDK rebuilt the very bytes Paygate signed.
      if (c.go) expect(go[i]?.reserialized, c.name).toBe(signed[i]?.body);
      if (c.php) expect(php[i]?.reserialized, c.name).toBe(signed[i]?.body);
      if (c.go || c.php) continue;
      expect(c.portable, `${c.name}: a body no SDK can verify must be refused by the profile`).toBe(false);
    }
  });

  it('refuse a portable body whose signature or secret is wrong', async () => {
    const body = canonicalJson(BASE);
    const good = akashicSignature(SECRET, BASE);
    const cases: SignedBody[] = [
      { secret: SECRET, body, signature: good },
      { secret: SECRET, body, signature: good.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
      { secret: `${SECRET}x`, body, signature: good },
      { secret: SECRET, body: body.replace('249.75', '249.76'), signature: good },
      { secret: SECRET, body, signature: good.toUpperCase() },
    ];
    for (const language of ['go', 'php'] as const) {
      expect(
        (await sdkVerify(language, cases)).map((v) => v.match),
        language,
      ).toEqual([true, false, false, false, false]);
    }
  });
});
