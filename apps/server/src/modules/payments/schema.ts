import { z } from 'zod';
import { fromNotAfterTo, fromNotAfterToIssue, isoInstant } from '../../lib/instants.js';

const decimal = z.string().max(64).describe('Decimal string, e.g. "12.5" (never a JSON number)');

export const transactionSchema = z
  .object({
    id: z.string(),
    type: z.enum(['Deposit', 'Withdrawal']),
    layer: z.enum(['L1', 'L2']),
    status: z.enum(['Pending', 'Confirmed', 'Failed']),
    fromAddress: z.string().nullable(),
    toAddress: z.string(),
    amount: z.string(),
    coinSymbol: z.string(),
    tokenSymbol: z.string().nullable(),
    network: z.string(),
    txHash: z.string().nullable(),
    l2TxnHash: z.string().nullable(),
    feesPaid: z.string().nullable(),
    internalFee: z.object({ deposit: z.string().optional() }),
    usdValue: z.string().nullable(),
    settled: z.boolean().describe('false for a Layer 1 deposit worth less than 1 USDT: recorded, not credited, no callbacks'),
    identifier: z.string().nullable(),
    referenceId: z.string().nullable(),
    depositRequestId: z.string().nullable(),
    confirmations: z.number().int(),
    requiredConfirmations: z.number().int(),
    failureReason: z.string().nullable(),
    initiatedAt: z.string(),
    confirmedAt: z.string().nullable(),
  })
  .meta({ id: 'Transaction' });

export const balanceSchema = z
  .object({
    currency: z.string(),
    network: z.string(),
    coinSymbol: z.string(),
    tokenSymbol: z.string().nullable(),
    available: z.string(),
    pending: z.string().describe('Incoming deposits awaiting confirmation'),
    reserved: z.string().describe('Outgoing payouts in flight'),
  })
  .meta({ id: 'Balance' });

export const currencySchema = z.object({
  network: z.string(),
  coinSymbol: z.string(),
  tokenSymbol: z.string().nullable(),
  decimals: z.number().int(),
  displayName: z.string(),
  confirmations: z.number().int(),
  payoutFee: z.string(),
});

export const depositAddressBody = z.strictObject({
  network: z.string().min(1).max(20).describe('ETH or TRX (sandbox: SEP or TRX-SHASTA)'),
  identifier: z.string().min(1).max(64).describe('Your id for the payer (e.g. user id): one permanent address per identifier and network'),
  referenceId: z.string().min(1).max(128).optional(),
  requestedAmount: decimal.optional().describe('Open a deposit request for this value'),
  requestedCurrency: z.string().max(16).optional().describe('USD (default), USDT or the network coin'),
  expiresInSeconds: z.number().int().min(60).max(2_592_000).optional().describe('Deposit request lifetime; default the BP setting (24 h)'),
});

export const depositAddressSchema = z
  .object({
    address: z.string(),
    network: z.string(),
    identifier: z.string(),
    referenceId: z.string().nullable(),
    createdAt: z.string(),
    depositRequest: z.object({ id: z.string(), requestedAmount: z.string(), requestedCurrency: z.string(), expiresAt: z.string() }).nullable(),
  })
  .meta({ id: 'DepositAddress' });

export const payoutBody = z.strictObject({
  referenceId: z.string().min(1).max(128).describe('Your unique id for this payout; repeating a request with it returns the original'),
  to: z.string().min(1).max(128),
  amount: decimal,
  network: z.string().min(1).max(20),
  token: z.string().min(1).max(16).optional().describe('USDT, or omit for the network coin'),
});

export const transactionsQuery = z
  .strictObject({
    layer: z.enum(['L1', 'L2']).optional(),
    status: z.enum(['Pending', 'Confirmed', 'Failed']).optional(),
    type: z.enum(['Deposit', 'Withdrawal']).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    hideSmall: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('Hide deposits worth less than 1 USDT'),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    limit: z.coerce
      .number()
      .pipe(z.union([z.literal(10), z.literal(25), z.literal(50), z.literal(100)]))
      .default(25),
  })
  .refine(fromNotAfterTo, fromNotAfterToIssue);

export const transactionPageSchema = z.object({ items: z.array(transactionSchema), page: z.number().int(), limit: z.number().int(), total: z.number().int() });

export const sandboxDepositBody = z.strictObject({
  network: z.string().min(1).max(20),
  token: z.string().min(1).max(16).optional(),
  toAddress: z.string().min(1).max(128).optional().describe('A deposit address of yours (or give identifier)'),
  identifier: z.string().min(1).max(64).optional(),
  amount: decimal,
  fromAddress: z.string().min(1).max(128).optional(),
  outcome: z.enum(['confirm', 'pending', 'fail']).default('confirm').describe('confirm at once (default), stay pending for manual confirmations, or fail'),
});

export const paymentSettingsSchema = z
  .strictObject({
    depositRequestTtlSeconds: z.number().int().min(60).max(2_592_000).describe('Default lifetime of deposit requests (60 s – 30 days; default 24 h)'),
  })
  .meta({ id: 'PaymentSettings' });

export const payoutAttemptSchema = z
  .object({
    hash: z.string(),
    nonce: z.string().nullable().describe('The hot wallet nonce (Ethereum); all attempts of a payout share it, so at most one can be mined'),
    state: z.enum(['signed', 'broadcast', 'mined', 'reverted', 'superseded']),
    blockNumber: z.string().nullable(),
    createdAt: z.string(),
    broadcastAt: z.string().nullable(),
  })
  .meta({ id: 'PayoutAttempt' });
