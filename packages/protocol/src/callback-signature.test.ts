import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { independentAkashicVerify } from '../../../tests/support/akashic-verifier.js';
import { CallbackVerificationError, signCallback, verifyCallback } from './callback-signature.js';
import { portableBodyViolations } from './portable-body.js';

const docs = readFileSync(new URL('../../../docs/callbacks.md', import.meta.url), 'utf8');
const SECRET_1 = 'whsec_c2VjcmV0LWtleS1vbmUtMzItYnl0ZXMtbG9uZy4uLi4=';
const SECRET_2 = 'whsec_c2VjcmV0LWtleS10d28tMzItYnl0ZXMtbG9uZy4uLi4=';
const PAYLOAD = {
  type: 'Deposit',
  status: 'Confirmed',
  amount: '249.75',
  tokenSymbol: 'USDT',
  coinSymbol: 'TRX-SHASTA',
  layer: 'L1',
  toAddress: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  internalFee: { deposit: '0.25' },
  identifier: 'user-1',
  txHash: 'a1b2',
};
const ID = 'msg_01kdw3hh8gzq2t1j5a8v6m4c0b';
const TS = 1767225600;

describe('callback signatures (docs/callbacks.md)', () => {
  it('reproduces the documented test vectors', () => {
    // The vector is a body Paygate could send: it keeps to the portable body profile.
    expect(portableBodyViolations(PAYLOAD)).toEqual([]);
    const one = signCallback({ payload: PAYLOAD, webhookId: ID, timestamp: TS, secrets: [SECRET_1], kind: 'deposit' });
    expect(docs).toContain(one.body);
    expect(docs).toContain(`Signature: ${one.headers.signature}`);
    expect(docs).toContain(`webhook-signature: ${one.headers['webhook-signature']}`);
    expect(one.headers['signature-next']).toBeUndefined();
    const two = signCallback({ payload: PAYLOAD, webhookId: ID, timestamp: TS, secrets: [SECRET_1, SECRET_2], kind: 'deposit' });
    expect(two.headers.signature).toBe(one.headers.signature);
    expect(docs).toContain(`Signature-Next: ${two.headers['signature-next']}`);
    expect(docs).toContain(`webhook-signature: ${two.headers['webhook-signature']}`);
  });

  it('verifies with the standardwebhooks npm library, with either secret during a rotation', () => {
    const { body, headers } = signCallback({
      payload: PAYLOAD,
      webhookId: ID,
      timestamp: Math.floor(Date.now() / 1000),
      secrets: [SECRET_1, SECRET_2],
      kind: 'deposit',
    });
    for (const secret of [SECRET_1, SECRET_2]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook('whsec_b3RoZXItc2VjcmV0LW5vdC11c2VkLWhlcmUtLi4uLi4=').verify(body, headers)).toThrow();
  });

  it('verifies with an independently written AkashicPay-style verifier', () => {
    const { body, headers } = signCallback({ payload: PAYLOAD, webhookId: ID, timestamp: TS, secrets: [SECRET_1, SECRET_2], kind: 'deposit' });
    expect(independentAkashicVerify(SECRET_1, body, headers.signature ?? '')).toBe(true);
    expect(independentAkashicVerify(SECRET_2, body, headers['signature-next'] ?? '')).toBe(true);
    expect(independentAkashicVerify(SECRET_2, body, headers.signature ?? '')).toBe(false);
  });

  it('verifyCallback accepts genuine callbacks and refuses forged, tampered, replayed or unsigned ones', () => {
    const now = new Date(TS * 1000 + 60_000);
    const { body, headers } = signCallback({ payload: PAYLOAD, webhookId: ID, timestamp: TS, secrets: [SECRET_1], kind: 'deposit' });
    const ok = verifyCallback<typeof PAYLOAD>({ rawBody: body, headers, secret: SECRET_1, now });
    expect(ok).toMatchObject({ webhookId: ID, kind: 'deposit', timestamp: TS, schemes: ['standard-webhooks', 'signature'] });
    expect(ok.payload.amount).toBe('249.75');
    expect(verifyCallback({ rawBody: Buffer.from(body), headers: { signature: headers.signature }, secret: [SECRET_2, SECRET_1], now }).schemes).toEqual([
      'signature',
    ]);

    const reason = (f: () => unknown) => {
      try {
        f();
        return 'accepted';
      } catch (error: unknown) {
        return error instanceof CallbackVerificationError ? error.reason : String(error);
      }
    };
    expect(reason(() => verifyCallback({ rawBody: body.replace('249.75', '999.75'), headers, secret: SECRET_1, now }))).toBe('signature_mismatch');
    expect(reason(() => verifyCallback({ rawBody: body, headers, secret: SECRET_2, now }))).toBe('signature_mismatch');
    expect(reason(() => verifyCallback({ rawBody: body, headers, secret: SECRET_1, now: new Date((TS + 301) * 1000) }))).toBe('timestamp_outside_tolerance');
    expect(reason(() => verifyCallback({ rawBody: body, headers: { ...headers, signature: '0'.repeat(64) }, secret: SECRET_1, now }))).toBe(
      'signature_mismatch',
    );
    expect(reason(() => verifyCallback({ rawBody: body, headers: {}, secret: SECRET_1, now }))).toBe('missing_headers');
    expect(reason(() => verifyCallback({ rawBody: 'not json', headers, secret: SECRET_1, now }))).toBe('body_not_json');
  });
});
