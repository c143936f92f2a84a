import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { originOf, sessionOf } from '../../http/session-auth.js';
import { bpParams } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import { type AllowlistEntry, type IpAllowlistService, MAX_ALLOWLIST_ENTRIES } from './service.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const allowlistSchema = z
  .object({
    entries: z.array(z.object({ cidr: z.string(), label: z.string(), createdAt: z.iso.datetime(), createdBy: z.string() })),
    callbackSourceIps: z.array(z.string()).describe('Addresses Paygate sends callbacks from: allow these on your side'),
    yourIp: z.string().describe('The address this request came from, as Paygate sees it'),
    recommendation: z.string().nullable(),
  })
  .meta({ id: 'IpAllowlist' });

export function registerIpAllowlistRoutes(
  root: FastifyInstance,
  deps: { accounts: AccountsService; allowlist: IpAllowlistService; sessionGuard: onRequestAsyncHookHandler; callbackSourceIps: readonly string[] },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, allowlist, sessionGuard } = deps;
  const tags = ['Dashboard: IP allowlist'];

  const render = (entries: AllowlistEntry[], yourIp: string) => ({
    entries: entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    callbackSourceIps: [...deps.callbackSourceIps],
    yourIp,
    recommendation:
      entries.length === 0 ? 'Any address can use your KeyPair. Add the addresses of your backend servers so a leaked key is useless elsewhere.' : null,
  });

  app.get('/api/bps/:bpId/ip-allowlist', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Inbound allowlist for signed API requests, and Paygate’s callback source addresses',
      params: bpParams,
      response: { 200: allowlistSchema, ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'ip_allowlist:read');
      return render(await allowlist.list(access.bpId), request.ip);
    },
  });

  app.put('/api/bps/:bpId/ip-allowlist', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Replace the inbound allowlist (admin, re-authentication); an empty list allows any address',
      params: bpParams,
      body: z.strictObject({
        entries: z.array(z.strictObject({ cidr: z.string().min(2).max(64), label: z.string().max(80).optional() })).max(MAX_ALLOWLIST_ENTRIES),
      }),
      response: { 200: allowlistSchema, ...errors },
    },
    handler: async (request) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'ip_allowlist:manage');
      return render(await allowlist.replace(session, access, request.body.entries, originOf(request)), request.ip);
    },
  });
}
