import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { principalOf } from '../../http/signature-auth.js';
import { AppError } from '../../lib/errors.js';
import { messagesFor, negotiateLocale } from './messages.js';
import { PAGE_CSP, type PageAssets, renderGonePage, renderOpenPage } from './page.js';
import { PAGE_CSS } from './page-style.js';
import * as s from './schema.js';
import type { DepositPagesService } from './service.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 429: problemSchema };

/** Headers of every hosted-page response: a CSP that allows nothing external, no caching, no referrer (the URL holds the token). */
function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow');
}

/**
 * Hosted deposit pages: `POST /v1/deposit-urls` (signed) creates a link; `/pay/{token}` is the
 * public page and `/pay/{token}/status` its live status (rate-limited), neither needing a login.
 */
export function registerDepositPageRoutes(
  root: FastifyInstance,
  deps: { pages: DepositPagesService; signatureGuard: preValidationAsyncHookHandler; publicUrl: string | undefined; version: string },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { pages } = deps;
  const assets: PageAssets = { scriptUrl: `/assets/deposit-page.js?v=${deps.version}`, styleUrl: `/pay/assets/page.css?v=${deps.version}` };
  const localeOf = (request: FastifyRequest) => negotiateLocale(request.headers['accept-language']);

  app.post('/v1/deposit-urls', {
    preValidation: deps.signatureGuard,
    schema: {
      tags: ['BP API: payments'],
      security: [{ httpSignature: [] }],
      summary: 'Create a hosted deposit page for one customer (getDepositUrl)',
      body: s.depositUrlBody,
      response: { 201: s.depositUrlSchema, ...errors },
    },
    handler: async (request, reply) => {
      const p = principalOf(request);
      const base = deps.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.code(201).send(await pages.create({ bpId: p.bpId, environment: p.environment }, request.body, base));
    },
  });

  app.get('/pay/assets/page.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(PAGE_CSS),
  );

  app.get('/pay/:token', {
    schema: { hide: true, params: s.tokenParams, querystring: s.pageQuery },
    handler: async (request, reply) => {
      const locale = localeOf(request);
      const m = messagesFor(locale);
      const page = await pages.page(request.params.token);
      pageHeaders(reply).type('text/html; charset=utf-8');
      if (page.kind !== 'open') return reply.code(page.kind === 'expired' ? 410 : 404).send(renderGonePage(m, locale, assets, page));
      return reply.send(renderOpenPage(m, locale, assets, page, request.query.pay, `/pay/${encodeURIComponent(request.params.token)}/status`));
    },
  });

  app.get('/pay/:token/status', {
    schema: {
      tags: ['Hosted deposit page'],
      summary: 'Live status of a hosted deposit page (public; rate-limited)',
      params: s.tokenParams,
      response: { 200: s.depositStatusSchema, 404: problemSchema, 429: problemSchema },
    },
    handler: async (request, reply) => {
      pageHeaders(reply);
      await pages.throttleStatus(request.params.token, request.ip);
      const status = await pages.status(request.params.token);
      if (status === null) throw new AppError('not_found', 'No such payment link.');
      return status;
    },
  });
}
