import type { TransactionCallbackKind, TransactionCallbackPayload } from '@paygate/protocol';
import { currencyByCode } from './currencies.js';
import { depositFee } from './fees.js';
import { type TransactionRow, toCallbackPayload } from './views.js';

const CURRENCY = currencyByCode('USDT-TRX-SHASTA');
const AMOUNT = 12_500_000n;
const SAMPLE_ADDRESSES = { payer: 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7', deposit: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' } as const;

/**
 * The body of a test callback of `kind` (dashboard → "Send test callback"): a sample 12.5 USDT
 * transaction on Tron Shasta in the state that kind reports, built by the same producer as real
 * callbacks (so a deposit sample carries `internalFee`, a payout `feesPaid`…) and marked
 * `"test": true`. An endpoint that verifies the samples verifies real callbacks too.
 */
export function sampleCallbackPayload(kind: TransactionCallbackKind, now: Date): TransactionCallbackPayload {
  const payout = kind === 'payout' || kind === 'pendingPayout' || kind === 'failedPayout';
  const status = kind.startsWith('pending') ? 'Pending' : kind.startsWith('failed') ? 'Failed' : 'Confirmed';
  const confirmed = status === 'Confirmed';
  const row: TransactionRow = {
    id: 'tx_test00000000000000000000000',
    bp_id: 'bp_test',
    type: payout ? 'Withdrawal' : 'Deposit',
    layer: 'L1',
    network: CURRENCY.network,
    currency: CURRENCY.code,
    coin_symbol: CURRENCY.coinSymbol,
    token_symbol: CURRENCY.tokenSymbol,
    amount: AMOUNT.toString(),
    fee_deposit: !payout && confirmed ? depositFee(AMOUNT, CURRENCY.decimals, '1').toString() : '0',
    fees_paid: payout ? (status === 'Failed' ? '0' : CURRENCY.payoutFee.toString()) : null,
    // As PostgreSQL returns NUMERIC(38, 6): with all six decimals, like a real callback's usdValue.
    usd_value: '12.500000',
    status,
    settled: true,
    from_address: payout ? null : SAMPLE_ADDRESSES.payer,
    to_address: payout ? SAMPLE_ADDRESSES.payer : SAMPLE_ADDRESSES.deposit,
    tx_hash: '5ad2e2b2b7c0f9d8a0b1c2d3e4f5061728394a5b6c7d8e9f0a1b2c3d4e5f6071',
    tx_position: payout ? null : 0,
    block_number: null,
    block_hash: null,
    detached_at: null,
    l2_txn_hash: null,
    identifier: payout ? null : 'test-user',
    reference_id: payout ? 'test-payout' : null,
    deposit_address_id: null,
    deposit_request_id: null,
    counterparty_tx_id: null,
    confirmations: payout ? 0 : confirmed ? CURRENCY.confirmations : 0,
    required_confirmations: payout ? 0 : CURRENCY.confirmations,
    request_fingerprint: null,
    failure_reason: status === 'Failed' ? 'Sample failure (test callback)' : null,
    initiated_at: now,
    confirmed_at: confirmed ? now : null,
    updated_at: now,
  };
  return { ...toCallbackPayload(row, kind), test: true };
}
