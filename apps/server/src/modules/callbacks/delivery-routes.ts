import type { FastifyInstance, onRequestAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { originOf, sessionOf } from '../../http/session-auth.js';
import { principalOf } from '../../http/signature-auth.js';
import { fromNotAfterTo, fromNotAfterToIssue, isoInstant } from '../../lib/instants.js';
import { bpIdParam } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import type { DeliveriesService } from './deliveries.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 422: problemSchema };
const iso = isoInstant;
const deliveryId = z.string().regex(/^dlv_[0-9a-z]{26}$/, 'A delivery id (dlv_…)');
const summary = z
  .object({
    id: z.string(),
    messageId: z.string().describe('= webhook-id'),
    kind: z.string(),
    url: z.string(),
    transactionId: z.string().nullable(),
    status: z.string(),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'CallbackDelivery' });
const attempt = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  errorClass: z.string().nullable(),
  errorMessage: z.string().nullable(),
  requestHeaders: z.record(z.string(), z.string()).nullable(),
  responseHeaders: z.record(z.string(), z.unknown()).nullable(),
  responseExcerpt: z.string().nullable(),
});

export function registerDeliveryRoutes(
  root: FastifyInstance,
  deps: { accounts: AccountsService; deliveries: DeliveriesService; sessionGuard: onRequestAsyncHookHandler; signatureGuard: preValidationAsyncHookHandler },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, deliveries, sessionGuard } = deps;
  const tags = ['Dashboard: callbacks'];
  const iso8601 = (d: Date | null) => d?.toISOString() ?? null;

  app.get('/api/bps/:bpId/callbacks/deliveries', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Callback deliveries, newest first',
      params: z.strictObject({ bpId: bpIdParam }),
      querystring: z
        .strictObject({
          kind: z.enum(['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout', 'verification']).optional(),
          status: z.enum(['pending', 'delivering', 'succeeded', 'failed']).optional(),
          from: iso.optional(),
          to: iso.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          transactionId: z
            .string()
            .regex(/^tx_[0-9a-z]{26}$/, 'A transaction id (tx_…)')
            .optional()
            .describe('Only deliveries about this transaction'),
          cursor: deliveryId.optional(),
        })
        .refine(fromNotAfterTo, fromNotAfterToIssue),
      response: { 200: z.object({ items: z.array(summary), nextCursor: z.string().nullable() }), ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:read');
      const q = request.query;
      const page = await deliveries.list(
        access.bpId,
        {
          kind: q.kind,
          status: q.status,
          from: q.from === undefined ? undefined : new Date(q.from),
          to: q.to === undefined ? undefined : new Date(q.to),
          transactionId: q.transactionId,
        },
        q.limit,
        q.cursor,
      );
      return {
        items: page.items.map((d) => ({
          ...d,
          nextAttemptAt: iso8601(d.nextAttemptAt),
          createdAt: d.createdAt.toISOString(),
          completedAt: iso8601(d.completedAt),
        })),
        nextCursor: page.nextCursor,
      };
    },
  });

  app.get('/api/bps/:bpId/callbacks/deliveries/:deliveryId', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'One delivery: the exact body, and every attempt with request and response headers',
      params: z.strictObject({ bpId: bpIdParam, deliveryId }),
      response: { 200: z.object({ delivery: summary, body: z.string(), attempts: z.array(attempt) }), ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:read');
      const { row, body, attempts } = await deliveries.detail(access.bpId, request.params.deliveryId);
      return {
        delivery: {
          id: row.id,
          messageId: row.message_id,
          kind: row.kind,
          url: row.url,
          transactionId: row.transaction_id,
          status: row.status,
          attempts: row.attempts,
          lastStatusCode: row.last_status_code,
          lastError: row.last_error,
          nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
          createdAt: row.created_at.toISOString(),
          completedAt: iso8601(row.completed_at),
        },
        body,
        attempts: attempts.map((a) => ({
          attempt: a.attempt,
          startedAt: a.started_at.toISOString(),
          durationMs: a.duration_ms,
          statusCode: a.status_code,
          errorClass: a.error_class,
          errorMessage: a.error_message,
          requestHeaders: a.request_headers,
          responseHeaders: a.response_headers,
          responseExcerpt: a.response_excerpt,
        })),
      };
    },
  });

  app.post('/api/bps/:bpId/callbacks/deliveries/:deliveryId/resend', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Send a finished delivery again (developer and above)',
      params: z.strictObject({ bpId: bpIdParam, deliveryId }),
      response: { 202: z.object({ queued: z.literal(true) }), ...errors },
    },
    handler: async (request, reply) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:resend');
      await deliveries.resend(access, request.params.deliveryId, originOf(request));
      return reply.code(202).send({ queued: true as const });
    },
  });

  app.post('/api/bps/:bpId/callbacks/deliveries/recover', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Requeue every failed delivery since a time (developer and above)',
      params: z.strictObject({ bpId: bpIdParam }),
      body: z.strictObject({ since: iso }),
      response: { 202: z.object({ requeued: z.number().int() }), ...errors },
    },
    handler: async (request, reply) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:resend');
      return reply.code(202).send({ requeued: await deliveries.recoverFailed(access, new Date(request.body.since), originOf(request)) });
    },
  });

  app.post('/api/bps/:bpId/callbacks/test', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Send a sample callback of one kind to its URL (developer and above)',
      params: z.strictObject({ bpId: bpIdParam }),
      body: z.strictObject({ kind: z.enum(['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout']) }),
      response: { 202: z.object({ messageId: z.string(), deliveryId: z.string() }), ...errors },
    },
    handler: async (request, reply) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:resend');
      return reply.code(202).send(await deliveries.sendTest(access, request.body.kind, originOf(request)));
    },
  });

  app.post('/v1/callbacks/verify', {
    preValidation: deps.signatureGuard,
    schema: {
      tags: ['BP API: callbacks'],
      security: [{ httpSignature: [] }],
      summary: 'Did Paygate send this callback? 200 with the authoritative payload (and a confirming `verification` callback), 404/422 otherwise',
      body: z.strictObject({
        webhookId: z.string().min(1).max(64),
        signature: z.string().max(128).optional().describe('The Signature header value you received'),
      }),
      response: { 200: z.object({ verified: z.literal(true), kind: z.string(), payload: z.unknown(), verificationId: z.string().nullable() }), ...errors },
    },
    handler: async (request) => {
      const result = await deliveries.verify(principalOf(request).bpId, request.body.webhookId, request.body.signature);
      return { verified: true as const, ...result };
    },
  });
}
