import { z } from 'zod';

export const depositUrlBody = z.strictObject({
  identifier: z.string().min(1).max(64).describe('Your id for the payer (e.g. user id); the page shows that identifier’s permanent addresses'),
  referenceId: z.string().min(1).max(128).optional().describe('Your reference for this payment (e.g. order id); carried on the deposit'),
  receiveCurrencies: z
    .array(z.string().min(1).max(16))
    .min(1)
    .max(8)
    .optional()
    .describe('What the customer may pay with: USDT and/or network coins (ETH, TRX; sandbox SEP, TRX-SHASTA). Default: all'),
  networks: z.array(z.string().min(1).max(20)).min(1).max(8).optional().describe('Networks to offer (ETH, TRX; sandbox SEP, TRX-SHASTA). Default: all'),
  requestedAmount: z.string().max(64).optional().describe('Amount to ask for, a decimal string'),
  requestedCurrency: z.string().max(16).optional().describe('USD (default), USDT, or a coin when only that coin is offered'),
  redirectUrl: z.string().max(2048).optional().describe('Where the customer is sent once the deposit is confirmed (https)'),
  expiresInSeconds: z.number().int().min(60).max(2_592_000).optional().describe('Link lifetime; default the BP’s deposit request setting (24 h)'),
});

export const depositUrlSchema = z
  .object({
    id: z.string(),
    url: z.string().describe('Send your customer here; the token in it is shown only now'),
    identifier: z.string(),
    referenceId: z.string().nullable(),
    requestedAmount: z.string().nullable(),
    requestedCurrency: z.string().nullable(),
    redirectUrl: z.string().nullable(),
    expiresAt: z.string(),
    currencies: z.array(z.object({ network: z.string(), coinSymbol: z.string(), tokenSymbol: z.string().nullable(), address: z.string() })),
  })
  .meta({ id: 'DepositUrl' });

export const depositStatusSchema = z
  .object({
    state: z.enum(['waiting', 'seen', 'confirming', 'confirmed', 'failed', 'underpaid', 'expired']),
    expiresAt: z.string(),
    serverTime: z.string(),
    deposit: z
      .object({
        amount: z.string(),
        asset: z.string(),
        network: z.string(),
        confirmations: z.number().int(),
        requiredConfirmations: z.number().int(),
        txHash: z.string().nullable(),
      })
      .nullable(),
    redirectUrl: z.string().nullable(),
  })
  .meta({ id: 'DepositPageStatus' });

export const tokenParams = z.strictObject({ token: z.string().max(200) });
export const pageQuery = z.object({ pay: z.string().max(40).optional() });
