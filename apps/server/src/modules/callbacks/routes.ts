import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { originOf, sessionOf } from '../../http/session-auth.js';
import { bpIdParam } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import { type ApiSecretsService, MAX_OVERLAP_SECONDS, type SecretMetadata } from './api-secrets.js';
import type { CallbackSettings, CallbackSettingsService } from './settings.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const bpParams = z.strictObject({ bpId: bpIdParam });
const kindUrl = z.object({ url: z.string().nullable(), enabled: z.boolean() });
const settingsSchema = z
  .object({
    timeoutMs: z.number().int(),
    urls: z.object({ deposit: kindUrl, pendingDeposit: kindUrl, failedDeposit: kindUrl, payout: kindUrl, pendingPayout: kindUrl, failedPayout: kindUrl }),
  })
  .meta({ id: 'CallbackSettings' });
const kindInput = z.strictObject({ url: z.string().max(2048).nullable().describe('null removes the URL'), enabled: z.boolean().optional() });
const secretMeta = z
  .object({ id: z.string(), fingerprint: z.string(), createdAt: z.iso.datetime(), createdBy: z.string(), expiresAt: z.iso.datetime().nullable() })
  .meta({ id: 'ApiSecretMetadata' });

const renderMeta = (m: SecretMetadata) => ({ ...m, createdAt: m.createdAt.toISOString(), expiresAt: m.expiresAt?.toISOString() ?? null });
const renderSettings = (s: CallbackSettings) => s;

export function registerCallbackSettingsRoutes(
  root: FastifyInstance,
  deps: { accounts: AccountsService; settings: CallbackSettingsService; apiSecrets: ApiSecretsService; sessionGuard: onRequestAsyncHookHandler },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, settings, apiSecrets, sessionGuard } = deps;
  const tags = ['Dashboard: callbacks'];

  app.get('/api/bps/:bpId/callbacks/settings', {
    onRequest: sessionGuard,
    schema: { tags, summary: 'The six callback URLs, their toggles and the timeout', params: bpParams, response: { 200: settingsSchema, ...errors } },
    handler: async (request) => renderSettings(await settings.get(accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:read').bpId)),
  });

  app.put('/api/bps/:bpId/callbacks/settings', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Change callback URLs, toggles or timeout (admin, re-authentication)',
      params: bpParams,
      body: z.strictObject({
        timeoutMs: z.number().int().min(1000).max(30_000).optional().describe('Per-attempt timeout, 1–30 s (default 5 s)'),
        urls: z
          .strictObject({
            deposit: kindInput,
            pendingDeposit: kindInput,
            failedDeposit: kindInput,
            payout: kindInput,
            pendingPayout: kindInput,
            failedPayout: kindInput,
          })
          .partial()
          .default({}),
      }),
      response: { 200: settingsSchema, ...errors },
    },
    handler: async (request) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'callbacks:manage');
      return renderSettings(await settings.update(session, access, request.body, originOf(request)));
    },
  });

  app.get('/api/bps/:bpId/api-secret', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Active API secrets (metadata only; values are never listed)',
      params: bpParams,
      response: { 200: z.object({ items: z.array(secretMeta) }), ...errors },
    },
    handler: async (request) => ({
      items: (await apiSecrets.list(accounts.authorize(sessionOf(request), request.params.bpId, 'callbacks:read').bpId)).map(renderMeta),
    }),
  });

  app.post('/api/bps/:bpId/api-secret/reveal', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Reveal the active API secrets (owner/admin, re-authentication; audited)',
      params: bpParams,
      response: { 200: z.object({ items: z.array(secretMeta.extend({ secret: z.string() })) }), ...errors },
    },
    handler: async (request, reply) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'api_secret:manage');
      reply.header('cache-control', 'no-store');
      return { items: (await apiSecrets.reveal(session, access, originOf(request))).map((s) => ({ ...renderMeta(s), secret: s.secret })) };
    },
  });

  app.post('/api/bps/:bpId/api-secret/rotate', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Rotate the API secret; the old one keeps signing for the overlap you choose (owner/admin, re-authentication)',
      params: bpParams,
      body: z.strictObject({ overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).describe('0 (stop at once) … 604800 (7 days)') }),
      response: {
        201: z.object({
          id: z.string(),
          secret: z.string().describe('Shown once here; reveal again later with re-authentication'),
          previousExpiresAt: z.iso.datetime(),
        }),
        ...errors,
      },
    },
    handler: async (request, reply) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'api_secret:manage');
      const rotated = await apiSecrets.rotate(session, access, request.body.overlapSeconds, originOf(request));
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ id: rotated.id, secret: rotated.secret, previousExpiresAt: rotated.previousExpiresAt.toISOString() });
    },
  });
}
