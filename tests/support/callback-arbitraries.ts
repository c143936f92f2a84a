import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CallbackPayload, TransactionCallbackKind } from '@paygate/protocol';
import { createBase58check } from '@scure/base';
import fc from 'fast-check';
import { verificationPayload } from '../../apps/server/src/modules/callbacks/messages.js';
import { MAX_WHOLE_UNITS } from '../../apps/server/src/modules/payments/amounts.js';
import { toChecksumAddress, validateAddress } from '../../apps/server/src/modules/payments/chain/index.js';
import { CURRENCIES, type Currency } from '../../apps/server/src/modules/payments/currencies.js';
import { depositFee } from '../../apps/server/src/modules/payments/fees.js';
import { sampleCallbackPayload } from '../../apps/server/src/modules/payments/sample-callbacks.js';
import { failureReasonText, IDENTIFIER, REFERENCE } from '../../apps/server/src/modules/payments/texts.js';
import { type TransactionRow, toCallbackPayload } from '../../apps/server/src/modules/payments/views.js';

/**
 * fast-check arbitraries for everything Paygate's callback producers can be handed: transaction
 * rows in every state each callback kind reports, with every optional column present or absent,
 * amounts at their edges, identifiers and references over their whole allowed alphabets, chain
 * failure text of any Unicode (which the payments core passes through `failureReasonText`), and
 * the test and verification callbacks. Values follow what the services accept and store.
 */

const tronBase58check = createBase58check(sha256);
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const prefixedId = (prefix: string) => fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 }).map((s) => `${prefix}_${s}`);

/** A canonical address of the chain, checked by the validator the API uses. */
export function addressOf(chain: Currency['chain']): fc.Arbitrary<string> {
  return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((hash) => {
    const address = chain === 'ethereum' ? toChecksumAddress(bytesToHex(hash)) : tronBase58check.encode(Uint8Array.of(0x41, ...hash));
    const checked = validateAddress(chain, address);
    if (!checked.ok || checked.address !== address) throw new Error(`generated a non-canonical ${chain} address ${address}`);
    return address;
  });
}

/** Base units from 1 to the most one request accepts, biased to the edges. */
function unitsOf(currency: Currency): fc.Arbitrary<bigint> {
  const one = 10n ** BigInt(currency.decimals);
  const max = MAX_WHOLE_UNITS * one;
  return fc.oneof(fc.constantFrom(1n, one - 1n, one, one + 1n, max - 1n, max), fc.bigInt({ min: 1n, max }));
}

/** Stored as NUMERIC(38, 6): PostgreSQL hands it back with all six decimals. */
const usdText = fc.bigInt({ min: 0n, max: 10n ** 20n }).map((micros) => `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`);

const chainText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.constantFrom('execution reverted: <&> "quoted" \u2028 ü', 'OUT_OF_ENERGY', '', '   ', '\u0000\u001f\u007f', "reason = 'x'"),
);
const identifier = fc.stringMatching(IDENTIFIER);
const reference = fc.stringMatching(REFERENCE);
const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

type Shape = { kind: TransactionCallbackKind; type: 'Deposit' | 'Withdrawal'; layer: 'L1' | 'L2'; status: 'Pending' | 'Confirmed' | 'Failed' };
const SHAPES: readonly Shape[] = [
  { kind: 'pendingDeposit', type: 'Deposit', layer: 'L1', status: 'Pending' },
  { kind: 'deposit', type: 'Deposit', layer: 'L1', status: 'Confirmed' },
  { kind: 'failedDeposit', type: 'Deposit', layer: 'L1', status: 'Failed' },
  { kind: 'deposit', type: 'Deposit', layer: 'L2', status: 'Confirmed' },
  { kind: 'pendingPayout', type: 'Withdrawal', layer: 'L1', status: 'Pending' },
  { kind: 'payout', type: 'Withdrawal', layer: 'L1', status: 'Confirmed' },
  { kind: 'failedPayout', type: 'Withdrawal', layer: 'L1', status: 'Failed' },
  { kind: 'payout', type: 'Withdrawal', layer: 'L2', status: 'Confirmed' },
];

type PayoutRoute = 'simulator' | 'node-signed' | 'node-unsigned';

/** `fees_paid` of a payout as the payments core and the chain pipeline write it. */
function payoutFeesPaid(shape: Shape, l1: boolean, route: PayoutRoute, currency: Currency, burned: bigint): string | null {
  const nativeOnNode = route !== 'simulator' && currency.tokenSymbol === null;
  if (!l1) return '0';
  if (shape.status === 'Pending') return nativeOnNode ? null : currency.payoutFee.toString(); // a native chain payout's fee is known once mined
  if (shape.status === 'Confirmed') return nativeOnNode ? burned.toString() : currency.payoutFee.toString(); // native: gasUsed × price
  return nativeOnNode && route === 'node-signed' ? burned.toString() : '0'; // a reverted native chain payout pays the gas it burned
}

/** A transaction row in the state its callback kind reports, as the payments core writes it. */
export const transactionRow: fc.Arbitrary<{ row: TransactionRow; kind: TransactionCallbackKind }> = fc
  .record({ shape: fc.constantFrom(...SHAPES), currency: fc.constantFrom(...CURRENCIES) })
  .chain(({ shape, currency }) =>
    fc
      .record({
        amount: unitsOf(currency),
        rate: fc.constantFrom('0.25', '1', '3000', '0.000001'),
        from: addressOf(currency.chain),
        to: addressOf(currency.chain),
        txHash: hex(64).map((h) => (currency.chain === 'ethereum' ? `0x${h}` : h)),
        // Simulated payouts get a hash at once and no sender; chain payouts show the hot wallet and
        // the signed hash, and have neither before signing (pending, or failed before it was sent).
        route: fc.constantFrom<PayoutRoute>('simulator', 'node-signed', 'node-unsigned'),
        // A reverted native chain payout is charged the gas it burned.
        burned: fc.bigInt({ min: 0n, max: 10n ** 17n }),
        l2: hex(32).map((h) => `l2_${h}`),
        id: prefixedId('tx'),
        identifier,
        referenceId: fc.option(reference, { nil: null }),
        payoutReference: reference,
        depositRequestId: fc.option(prefixedId('dr'), { nil: null }),
        usd: fc.option(usdText, { nil: null }),
        pendingConfirmations: fc.integer({ min: 0, max: Math.max(0, currency.confirmations - 1) }),
        reason: chainText,
        initiatedAt: instant,
        confirmedAt: instant,
      })
      .map((g) => {
        const deposit = shape.type === 'Deposit';
        const l1 = shape.layer === 'L1';
        const route: PayoutRoute = shape.status === 'Confirmed' && g.route === 'node-unsigned' ? 'node-signed' : g.route;
        const fee = deposit && l1 && shape.status === 'Confirmed' ? depositFee(g.amount, currency.decimals, g.rate) : 0n;
        const row: TransactionRow = {
          id: g.id,
          bp_id: 'bp_property',
          type: shape.type,
          layer: shape.layer,
          network: currency.network,
          currency: currency.code,
          coin_symbol: currency.coinSymbol,
          token_symbol: currency.tokenSymbol,
          amount: g.amount.toString(),
          fee_deposit: fee.toString(),
          fees_paid: deposit ? null : payoutFeesPaid(shape, l1, route, currency, g.burned),
          usd_value: g.usd,
          status: shape.status,
          settled: true,
          from_address: l1 && (deposit || route === 'node-signed') ? g.from : null,
          to_address: g.to,
          tx_hash: !l1 || (!deposit && route === 'node-unsigned') ? null : g.txHash,
          l2_txn_hash: l1 ? null : g.l2,
          tx_position: null,
          block_number: null,
          block_hash: null,
          detached_at: null,
          identifier: deposit ? g.identifier : null,
          reference_id: deposit ? g.referenceId : g.payoutReference,
          deposit_address_id: null,
          deposit_request_id: deposit && l1 ? g.depositRequestId : null,
          counterparty_tx_id: null,
          confirmations: deposit && l1 ? (shape.status === 'Pending' ? g.pendingConfirmations : currency.confirmations) : 0,
          required_confirmations: deposit && l1 ? currency.confirmations : 0,
          request_fingerprint: null,
          failure_reason: shape.status === 'Failed' ? failureReasonText(g.reason) : null,
          initiated_at: g.initiatedAt,
          confirmed_at: shape.status === 'Confirmed' ? g.confirmedAt : null,
          updated_at: g.initiatedAt,
        };
        return { row, kind: shape.kind };
      }),
  );

const KINDS: readonly TransactionCallbackKind[] = ['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout'];

/** Verification callbacks for stored messages of every kind, with and without a transaction. */
const verification: fc.Arbitrary<CallbackPayload> = fc
  .record({
    id: prefixedId('msg'),
    kind: fc.constantFrom(...KINDS, 'test' as const, 'verification' as const),
    transaction_id: fc.option(prefixedId('tx'), { nil: null }),
    at: instant,
  })
  .map(({ at, ...message }) => verificationPayload(message, at));

/** Any body Paygate's producers emit: transaction callbacks, test callbacks and verifications. */
export const callbackPayload: fc.Arbitrary<CallbackPayload> = fc.oneof(
  { weight: 8, arbitrary: transactionRow.map(({ row, kind }) => toCallbackPayload(row, kind)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KINDS), instant).map(([kind, at]) => sampleCallbackPayload(kind, at)) },
  { weight: 1, arbitrary: verification },
);
