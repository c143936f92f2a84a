import type { FastifyInstance, onRequestAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { sessionOf } from '../../http/session-auth.js';
import { principalOf } from '../../http/signature-auth.js';
import { fromNotAfterTo, fromNotAfterToIssue, isoInstant } from '../../lib/instants.js';
import { bpIdParam } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import type { Overview, RequestLogQueries, RequestLogRow, UsageService } from './service.js';
import { assertTimeZone } from './time-zone.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const iso = isoInstant;

export const overviewQuery = z.strictObject({
  range: z.enum(['1h', '24h', '7d', '30d', 'custom']).default('24h'),
  from: iso.optional().describe('Start (range=custom), ISO 8601; aligned down to the minute'),
  to: iso.optional().describe('End (range=custom), ISO 8601, exclusive; capped at now'),
  tz: z.string().min(1).max(64).default('UTC').describe('IANA time zone for bucket boundaries, e.g. Europe/Berlin'),
  granularity: z.enum(['1m', '15m', '1h', '1d']).optional().describe('Series bucket size; default fitted to the range'),
});

const kpisSchema = z.object({
  totalRequests: z.number().int(),
  successRate: z.number().nullable().describe('Share with status < 400 (0–1)'),
  errorRate: z.number().nullable().describe('Share with status ≥ 400 (0–1)'),
  clientErrorRate: z.number().nullable().describe('Share with 4xx'),
  serverErrorRate: z.number().nullable().describe('Share with 5xx'),
  avgResponseMs: z.number().nullable(),
  p50Ms: z.number().nullable().describe('Upper bound of the histogram bucket holding the median'),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

const overviewSchema = z
  .object({
    range: z.object({ from: z.iso.datetime(), to: z.iso.datetime(), tz: z.string(), granularity: z.enum(['1m', '15m', '1h', '1d']) }),
    previousRange: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    kpis: kpisSchema,
    previous: kpisSchema,
    change: z.record(z.string(), z.number().nullable()).describe('Relative change for counts and times; percentage points (as a fraction) for rates'),
    series: z.array(z.object({ t: z.iso.datetime(), c2xx: z.number().int(), c3xx: z.number().int(), c4xx: z.number().int(), c5xx: z.number().int() })),
    statusCodes: z.array(z.object({ status: z.number().int(), count: z.number().int() })),
    endpoints: z.array(z.object({ method: z.string(), route: z.string(), count: z.number().int(), errorRate: z.number(), p95Ms: z.number().nullable() })),
  })
  .meta({ id: 'UsageOverview' });

const requestRowSchema = z
  .object({
    requestId: z.string(),
    occurredAt: z.iso.datetime(),
    keyId: z.string().nullable(),
    method: z.string(),
    route: z.string(),
    status: z.number().int(),
    durationMs: z.number(),
    clientIp: z.string().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable().describe('The message the API answered with'),
  })
  .meta({ id: 'RequestLogEntry' });

function renderOverview(o: Overview) {
  return {
    range: { ...o.range, from: o.range.from.toISOString(), to: o.range.to.toISOString() },
    previousRange: { from: o.previousRange.from.toISOString(), to: o.previousRange.to.toISOString() },
    kpis: o.kpis,
    previous: o.previous,
    change: o.change,
    series: o.series.map((p) => ({ ...p, t: p.t.toISOString() })),
    statusCodes: o.statusCodes,
    endpoints: o.endpoints,
  };
}

const renderRow = (r: RequestLogRow) => ({ ...r, occurredAt: r.occurredAt.toISOString() });

export function registerUsageRoutes(
  root: FastifyInstance,
  deps: {
    accounts: AccountsService;
    usage: UsageService;
    requestLog: RequestLogQueries;
    sessionGuard: onRequestAsyncHookHandler;
    signatureGuard: preValidationAsyncHookHandler;
  },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, usage, requestLog, sessionGuard } = deps;
  const tags = ['Usage analytics'];

  const overview = (bpId: string, q: z.infer<typeof overviewQuery>) => {
    assertTimeZone(q.tz);
    return usage
      .overview(bpId, {
        range: q.range,
        from: q.from === undefined ? undefined : new Date(q.from),
        to: q.to === undefined ? undefined : new Date(q.to),
        tz: q.tz,
        granularity: q.granularity,
      })
      .then(renderOverview);
  };

  app.get('/api/bps/:bpId/usage/overview', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'API usage Overview: KPIs with change, series by status class, status codes, endpoints',
      params: z.strictObject({ bpId: bpIdParam }),
      querystring: overviewQuery,
      response: { 200: overviewSchema, ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'usage:read');
      return overview(access.bpId, request.query);
    },
  });

  app.get('/v1/usage/overview', {
    preValidation: deps.signatureGuard,
    schema: {
      tags: ['BP API'],
      summary: 'Your API usage Overview (same as the dashboard’s)',
      security: [{ httpSignature: [] }],
      querystring: overviewQuery,
      response: { 200: overviewSchema, ...errors },
    },
    handler: async (request) => overview(principalOf(request).bpId, request.query),
  });

  app.get('/api/bps/:bpId/usage/requests', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Recent signed API requests, newest first',
      params: z.strictObject({ bpId: bpIdParam }),
      querystring: z
        .strictObject({
          status: z
            .union([z.enum(['2xx', '3xx', '4xx', '5xx', 'errors']), z.coerce.number().int().min(100).max(599)])
            .optional()
            .describe('A status code, a class (4xx) or "errors" (≥ 400)'),
          route: z.string().max(200).optional(),
          keyId: z
            .string()
            .regex(/^kp_[0-9a-z]{26}$/)
            .optional(),
          from: iso.optional(),
          to: iso.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        })
        .refine(fromNotAfterTo, fromNotAfterToIssue),
      response: { 200: z.object({ items: z.array(requestRowSchema), nextCursor: z.string().nullable(), routes: z.array(z.string()) }), ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'usage:read');
      const q = request.query;
      const page = await requestLog.list(
        access.bpId,
        {
          status: q.status,
          route: q.route,
          keyId: q.keyId,
          from: q.from === undefined ? undefined : new Date(q.from),
          to: q.to === undefined ? undefined : new Date(q.to),
        },
        q.limit,
        q.cursor,
      );
      const routes = await requestLog.routes(access.bpId, new Date(Date.now() - 7 * 86_400_000));
      return { items: page.items.map(renderRow), nextCursor: page.nextCursor, routes };
    },
  });

  app.get('/api/bps/:bpId/usage/requests/:requestId', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'One request by its x-request-id',
      params: z.strictObject({ bpId: bpIdParam, requestId: z.string().min(8).max(128) }),
      response: { 200: requestRowSchema, ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'usage:read');
      return renderRow(await requestLog.get(access.bpId, request.params.requestId));
    },
  });
}
