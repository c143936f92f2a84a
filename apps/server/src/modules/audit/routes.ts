import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { sessionOf } from '../../http/session-auth.js';
import { bpParams } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import type { AuditService } from './service.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const cursor = z
  .string()
  .regex(/^(aud|ntf)_[0-9a-z]{26}$/, 'A cursor returned as nextCursor')
  .optional();
const limit = z.coerce.number().int().min(1).max(100).default(25);

const auditRecordSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actor: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string().nullable(), label: z.string() }),
    target: z.object({ type: z.string(), id: z.string().nullable() }),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditRecord' });

const notificationSchema = z
  .object({
    id: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    createdAt: z.iso.datetime(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export function registerAuditRoutes(
  root: FastifyInstance,
  deps: { accounts: AccountsService; audit: AuditService; sessionGuard: onRequestAsyncHookHandler },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, audit, sessionGuard } = deps;
  const tags = ['Dashboard: audit'];

  app.get('/api/bps/:bpId/audit-log', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Security changes, newest first (developer and above)',
      params: bpParams,
      querystring: z.strictObject({ limit, cursor, action: z.string().max(64).optional() }),
      response: { 200: z.object({ items: z.array(auditRecordSchema), nextCursor: z.string().nullable() }), ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'audit:read');
      const page = await audit.list(access.bpId, request.query);
      return { items: page.items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), nextCursor: page.nextCursor };
    },
  });

  app.get('/api/bps/:bpId/audit-log/actions', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'The actions recorded in this Business Partner’s audit log, for filtering (developer and above)',
      params: bpParams,
      response: { 200: z.object({ items: z.array(z.string()) }), ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'audit:read');
      return { items: await audit.actions(access.bpId) };
    },
  });

  app.get('/api/bps/:bpId/notifications', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: "The team's in-app notifications, with your read state",
      params: bpParams,
      querystring: z.strictObject({ limit, cursor }),
      response: { 200: z.object({ items: z.array(notificationSchema), unreadCount: z.number().int(), nextCursor: z.string().nullable() }), ...errors },
    },
    handler: async (request) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'notifications:read');
      const page = await audit.listNotifications(access.bpId, session.user.id, request.query);
      return { ...page, items: page.items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) };
    },
  });

  app.post('/api/bps/:bpId/notifications/read', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Mark notifications read (given ids, or all)',
      params: bpParams,
      body: z.union([
        z.strictObject({
          ids: z
            .array(z.string().regex(/^ntf_[0-9a-z]{26}$/))
            .min(1)
            .max(100),
        }),
        z.strictObject({ all: z.literal(true) }),
      ]),
      response: { 200: z.object({ marked: z.number().int() }), ...errors },
    },
    handler: async (request) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'notifications:read');
      const marked = await audit.markRead(access.bpId, session.user.id, 'ids' in request.body ? request.body.ids : 'all');
      return { marked };
    },
  });
}
