import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { originOf, sessionOf } from '../../http/session-auth.js';
import { principalOf } from '../../http/signature-auth.js';
import { bpIdParam } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import { formatAmount } from './amounts.js';
import type { SandboxChain } from './sandbox.js';
import * as s from './schema.js';
import type { Bp, PaymentsService, TransactionFilters } from './service.js';
import { toTransactionView } from './views.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const txParams = z.strictObject({ id: z.string().regex(/^tx_[0-9a-z]{26}$/, 'A transaction id (tx_…)') });

function filtersOf(q: z.infer<typeof s.transactionsQuery>): TransactionFilters {
  return {
    layer: q.layer,
    status: q.status,
    type: q.type,
    from: q.from === undefined ? undefined : new Date(q.from),
    to: q.to === undefined ? undefined : new Date(q.to),
    hideSmall: q.hideSmall,
    page: q.page,
    limit: q.limit,
  };
}

/** Payments routes: the signed BP API (`/v1/…`, incl. the sandbox) and the dashboard's mirror. */
export function registerPaymentsRoutes(
  root: FastifyInstance,
  deps: {
    accounts: AccountsService;
    payments: PaymentsService;
    sandbox: SandboxChain;
    sessionGuard: onRequestAsyncHookHandler;
    signatureGuard: preValidationAsyncHookHandler;
    /** Seconds after which the sandbox worker confirms what is left pending; 0 = only by hand. */
    sandboxAutoConfirmSeconds: number;
  },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { payments, sandbox, accounts, sessionGuard } = deps;
  const signed = { preValidation: deps.signatureGuard };
  const tags = ['BP API: payments'];
  const security = [{ httpSignature: [] }];
  const bpOf = (request: FastifyRequest): Bp => {
    const p = principalOf(request);
    return { bpId: p.bpId, environment: p.environment };
  };

  app.get('/v1/supported-currencies', {
    ...signed,
    schema: {
      tags,
      security,
      summary: 'Networks and tokens you can use (testnet symbols in the sandbox)',
      response: { 200: z.object({ items: z.array(s.currencySchema) }), ...errors },
    },
    handler: async (request) => ({
      items: payments.supportedCurrencies(bpOf(request).environment).map((c) => ({
        network: c.network,
        coinSymbol: c.coinSymbol,
        tokenSymbol: c.tokenSymbol,
        decimals: c.decimals,
        displayName: c.displayName,
        confirmations: c.confirmations,
        payoutFee: formatAmount(c.payoutFee, c.decimals),
      })),
    }),
  });

  app.get('/v1/exchange-rates', {
    ...signed,
    schema: {
      tags,
      security,
      summary: 'USD prices used for fees and the 1 USDT deposit threshold',
      response: { 200: z.object({ items: z.array(z.object({ symbol: z.string(), usd: z.string() })) }), ...errors },
    },
    handler: async () => ({ items: await payments.exchangeRates() }),
  });

  app.post('/v1/deposit-addresses', {
    ...signed,
    schema: {
      tags,
      security,
      summary: 'The permanent deposit address of an identifier on a network (optionally with a deposit request)',
      body: s.depositAddressBody,
      response: { 200: s.depositAddressSchema, ...errors },
    },
    handler: async (request) => payments.getDepositAddress(bpOf(request), request.body),
  });

  app.post('/v1/payouts', {
    ...signed,
    schema: {
      tags,
      security,
      summary: 'Send a payout; idempotent by referenceId',
      body: s.payoutBody,
      response: { 200: s.transactionSchema, 201: s.transactionSchema, ...errors },
    },
    handler: async (request, reply) => {
      const { transaction, replayed } = await payments.createPayout(bpOf(request), request.body);
      reply.header('idempotent-replayed', String(replayed));
      return reply.code(replayed ? 200 : 201).send(toTransactionView(transaction));
    },
  });

  app.get('/v1/balances', {
    ...signed,
    schema: {
      tags,
      security,
      summary: 'Balances per currency (available, pending, reserved)',
      response: { 200: z.object({ items: z.array(s.balanceSchema) }), ...errors },
    },
    handler: async (request) => ({ items: await payments.balances(bpOf(request)) }),
  });

  app.get('/v1/transactions', {
    ...signed,
    schema: {
      tags,
      security,
      summary: 'Your transactions, newest first',
      querystring: s.transactionsQuery,
      response: { 200: s.transactionPageSchema, ...errors },
    },
    handler: async (request) => payments.listTransactions(bpOf(request), filtersOf(request.query)),
  });

  app.get('/v1/transactions/:id', {
    ...signed,
    schema: { tags, security, summary: 'One transaction', params: txParams, response: { 200: s.transactionSchema, ...errors } },
    handler: async (request) => payments.getTransaction(bpOf(request), request.params.id),
  });

  app.get('/v1/transactions/:id/attempts', {
    ...signed,
    schema: {
      tags,
      security,
      summary: "A payout's chain transactions: every signed attempt (a replacement shares the nonce), and which one was mined",
      params: txParams,
      response: { 200: z.object({ items: z.array(s.payoutAttemptSchema) }), ...errors },
    },
    handler: async (request) => ({ items: await payments.payoutAttempts(bpOf(request), request.params.id) }),
  });

  // ── sandbox simulation (signed; sandbox BPs only) ─────────────────────────
  const sandboxTags = ['BP API: sandbox'];
  app.post('/v1/sandbox/deposits', {
    ...signed,
    schema: {
      tags: sandboxTags,
      security,
      summary: 'Simulate an incoming deposit (confirm at once, leave pending, or fail)',
      body: s.sandboxDepositBody,
      response: { 201: s.transactionSchema, ...errors },
    },
    handler: async (request, reply) => reply.code(201).send(toTransactionView(await sandbox.simulateDeposit(bpOf(request), request.body))),
  });
  app.post('/v1/sandbox/transactions/:id/confirmations', {
    ...signed,
    schema: {
      tags: sandboxTags,
      security,
      summary: 'Add confirmations to a pending deposit',
      params: txParams,
      body: z.strictObject({ count: z.number().int().min(1).max(1000).default(1) }),
      response: { 200: s.transactionSchema, ...errors },
    },
    handler: async (request) => toTransactionView(await sandbox.addConfirmations(bpOf(request), request.params.id, request.body.count)),
  });
  app.post('/v1/sandbox/payouts/:id/confirm', {
    ...signed,
    schema: { tags: sandboxTags, security, summary: 'Confirm a pending payout', params: txParams, response: { 200: s.transactionSchema, ...errors } },
    handler: async (request) => toTransactionView(await sandbox.confirmPayout(bpOf(request), request.params.id)),
  });
  app.post('/v1/sandbox/payouts/:id/fail', {
    ...signed,
    schema: {
      tags: sandboxTags,
      security,
      summary: 'Make a pending payout fail (funds are released)',
      params: txParams,
      body: z.strictObject({ reason: z.string().max(200).optional() }),
      response: { 200: s.transactionSchema, ...errors },
    },
    handler: async (request) => toTransactionView(await sandbox.failPayout(bpOf(request), request.params.id, request.body.reason)),
  });

  // ── dashboard mirror ──────────────────────────────────────────────────────
  const dashTags = ['Dashboard: payments'];
  const bpParams = z.strictObject({ bpId: bpIdParam });
  const dashboardBp = async (request: FastifyRequest, bpId: string, permission: 'payments:read' | 'sandbox:use'): Promise<Bp> => {
    const access = accounts.authorize(sessionOf(request), bpId, permission);
    const bp = await accounts.getBp(access.bpId);
    return { bpId: bp.id, environment: bp.environment };
  };

  app.get('/api/bps/:bpId/transactions', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'Transactions with filters',
      params: bpParams,
      querystring: s.transactionsQuery,
      response: { 200: s.transactionPageSchema, ...errors },
    },
    handler: async (request) => payments.listTransactions(await dashboardBp(request, request.params.bpId, 'payments:read'), filtersOf(request.query)),
  });
  app.get('/api/bps/:bpId/transactions/:id', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'One transaction',
      params: z.strictObject({ bpId: bpIdParam, id: txParams.shape.id }),
      response: { 200: s.transactionSchema, ...errors },
    },
    handler: async (request) => payments.getTransaction(await dashboardBp(request, request.params.bpId, 'payments:read'), request.params.id),
  });
  app.get('/api/bps/:bpId/payment-settings', {
    onRequest: sessionGuard,
    schema: { tags: dashTags, summary: 'Payment settings', params: bpParams, response: { 200: s.paymentSettingsSchema, ...errors } },
    handler: async (request) => payments.settings((await dashboardBp(request, request.params.bpId, 'payments:read')).bpId),
  });
  app.put('/api/bps/:bpId/payment-settings', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'Change payment settings (admin)',
      params: bpParams,
      body: s.paymentSettingsSchema,
      response: { 200: s.paymentSettingsSchema, ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'payments:manage');
      return payments.updateSettings(access, request.body, originOf(request));
    },
  });
  app.get('/api/bps/:bpId/balances', {
    onRequest: sessionGuard,
    schema: { tags: dashTags, summary: 'Balances', params: bpParams, response: { 200: z.object({ items: z.array(s.balanceSchema) }), ...errors } },
    handler: async (request) => ({ items: await payments.balances(await dashboardBp(request, request.params.bpId, 'payments:read')) }),
  });
  app.get('/api/bps/:bpId/sandbox/settings', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'How the sandbox behaves (its automatic confirmation delay)',
      params: bpParams,
      response: { 200: z.object({ autoConfirmSeconds: z.number().int().describe('0 = pending stays pending until confirmed by hand') }), ...errors },
    },
    handler: async (request) => {
      await dashboardBp(request, request.params.bpId, 'payments:read');
      return { autoConfirmSeconds: deps.sandboxAutoConfirmSeconds };
    },
  });
  app.post('/api/bps/:bpId/sandbox/deposits', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'Simulate an incoming deposit (developer and above)',
      params: bpParams,
      body: s.sandboxDepositBody,
      response: { 201: s.transactionSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.code(201).send(toTransactionView(await sandbox.simulateDeposit(await dashboardBp(request, request.params.bpId, 'sandbox:use'), request.body))),
  });
  const dashTxParams = z.strictObject({ bpId: bpIdParam, id: txParams.shape.id });
  app.post('/api/bps/:bpId/sandbox/transactions/:id/confirmations', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'Add confirmations to a pending deposit',
      params: dashTxParams,
      body: z.strictObject({ count: z.number().int().min(1).max(1000).default(1) }),
      response: { 200: s.transactionSchema, ...errors },
    },
    handler: async (request) =>
      toTransactionView(await sandbox.addConfirmations(await dashboardBp(request, request.params.bpId, 'sandbox:use'), request.params.id, request.body.count)),
  });
  app.post('/api/bps/:bpId/sandbox/payouts/:id/confirm', {
    onRequest: sessionGuard,
    schema: { tags: dashTags, summary: 'Confirm a pending payout', params: dashTxParams, response: { 200: s.transactionSchema, ...errors } },
    handler: async (request) =>
      toTransactionView(await sandbox.confirmPayout(await dashboardBp(request, request.params.bpId, 'sandbox:use'), request.params.id)),
  });
  app.post('/api/bps/:bpId/sandbox/payouts/:id/fail', {
    onRequest: sessionGuard,
    schema: {
      tags: dashTags,
      summary: 'Make a pending payout fail',
      params: dashTxParams,
      body: z.strictObject({ reason: z.string().max(200).optional() }),
      response: { 200: s.transactionSchema, ...errors },
    },
    handler: async (request) =>
      toTransactionView(await sandbox.failPayout(await dashboardBp(request, request.params.bpId, 'sandbox:use'), request.params.id, request.body.reason)),
  });
}
