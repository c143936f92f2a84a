import { akashicSignature, type CallbackPayload, canonicalJson, isPortableText, portableBodyViolations } from '@paygate/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedCallbackPayload } from '../../apps/server/src/modules/callbacks/messages.js';
import { validateAddress } from '../../apps/server/src/modules/payments/chain/index.js';
import { sampleCallbackPayload } from '../../apps/server/src/modules/payments/sample-callbacks.js';
import { FAILURE_REASON_MAX, IDENTIFIER, REFERENCE } from '../../apps/server/src/modules/payments/texts.js';
import { toCallbackPayload } from '../../apps/server/src/modules/payments/views.js';
import { callbackPayload, transactionRow } from '../support/callback-arbitraries.js';
import { describeWithSdkPrograms, type SignedBody, sdkVerify } from '../support/sdk-verifiers.js';

const SECRET = 'whsec_cHJvcGVydHktdGVzdC1zZWNyZXQtMzItYnl0ZXMuLi4=';

describe('callback producers emit only portable bodies (property)', () => {
  it('every body any producer can emit keeps to the profile and passes the outbox gate', () => {
    fc.assert(
      fc.property(callbackPayload, (payload) => {
        expect(portableBodyViolations(payload)).toEqual([]);
        const stored = storedCallbackPayload(payload);
        // What the worker signs later is the stored JSON read back: it must be the same body.
        expect(canonicalJson(JSON.parse(stored))).toBe(canonicalJson(payload));
      }),
      { numRuns: 800 },
    );
  });

  it('presence rules: no nulls, internalFee only with a member, and exactly the fields of the state', () => {
    fc.assert(
      fc.property(transactionRow, ({ row, kind }) => {
        const payload = toCallbackPayload(row, kind);
        expect(Object.values(payload)).not.toContain(null);
        const fee = BigInt(row.fee_deposit);
        expect(payload.internalFee === undefined).toBe(fee === 0n);
        if (row.layer === 'L2') expect('fromAddress' in payload).toBe(false);
        else if (row.type === 'Deposit') expect('fromAddress' in payload).toBe(true);
        else expect('fromAddress' in payload).toBe(row.from_address !== null);
        if (row.layer === 'L2') expect('txHash' in payload).toBe(false);
        else if (row.type === 'Deposit' || row.status === 'Confirmed') expect('txHash' in payload).toBe(true);
        else expect('txHash' in payload).toBe(row.tx_hash !== null);
        expect('l2TxnHash' in payload).toBe(row.layer === 'L2');
        if (row.type === 'Deposit') expect('feesPaid' in payload).toBe(false);
        else expect('feesPaid' in payload).toBe(row.fees_paid !== null);
        expect('failureReason' in payload).toBe(row.status === 'Failed');
        expect('confirmedAt' in payload).toBe(row.status === 'Confirmed');
        expect('identifier' in payload).toBe(row.type === 'Deposit');
        expect('tokenSymbol' in payload).toBe(row.token_symbol !== null);
        expect(payload.callbackType).toBe(kind);
        if (payload.failureReason !== undefined) expect(payload.failureReason.length).toBeLessThanOrEqual(FAILURE_REASON_MAX);
      }),
      { numRuns: 500 },
    );
  });

  it('test callbacks are real-looking samples: valid addresses, the fields of their state, marked as tests', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    for (const kind of ['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout'] as const) {
      const sample = sampleCallbackPayload(kind, at);
      expect(sample).toMatchObject({ test: true, callbackType: kind, layer: 'L1', network: 'TRX-SHASTA', tokenSymbol: 'USDT', amount: '12.5' });
      for (const address of [sample.toAddress, sample.fromAddress].filter((a) => a !== undefined)) expect(validateAddress('tron', address).ok).toBe(true);
      expect('internalFee' in sample, kind).toBe(kind === 'deposit');
      expect('failureReason' in sample, kind).toBe(kind.startsWith('failed'));
      expect('feesPaid' in sample, kind).toBe(kind.toLowerCase().includes('payout'));
    }
  });

  it('every character identifier and referenceId validation lets through is portable', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if ((IDENTIFIER.test(char) || REFERENCE.test(char)) && !isPortableText(char)) expect.fail(`U+${code.toString(16)} passes validation but is not portable`);
    }
  });
});

describeWithSdkPrograms('generated bodies verify in real Go and PHP (bounded batch)', () => {
  it('Go encoding/json and PHP json_encode rebuild the exact signed bytes of a few hundred generated bodies', async () => {
    const seed = Date.now() ^ (process.pid << 8);
    const payloads: CallbackPayload[] = fc.sample(callbackPayload, { numRuns: 300, seed });
    const signed: SignedBody[] = payloads.map((p) => ({ secret: SECRET, body: canonicalJson(p), signature: akashicSignature(SECRET, p) }));
    const [go, php] = await Promise.all([sdkVerify('go', signed), sdkVerify('php', signed)]);
    const failures = signed.flatMap((s, i) =>
      [
        go[i]?.match === true ? null : `Go (seed ${seed}) rebuilt ${go[i]?.reserialized ?? go[i]?.error}\n   from ${s.body}`,
        php[i]?.match === true ? null : `PHP (seed ${seed}) rebuilt ${php[i]?.reserialized ?? php[i]?.error}\n   from ${s.body}`,
      ].filter((f) => f !== null),
    );
    expect(failures).toEqual([]);
    // The batch really covered every shape: each kind, both layers, tests and verifications.
    const kinds = new Set(payloads.map((p) => ('verified' in p ? 'verification' : `${p.callbackType}${p.test === true ? ':test' : ''}`)));
    for (const kind of ['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout', 'verification']) expect(kinds).toContain(kind);
    expect([...kinds].some((k) => k.endsWith(':test'))).toBe(true);
  });
});
