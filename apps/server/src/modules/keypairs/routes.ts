import { serializeKeyFile } from '@paygate/protocol';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { originOf, sessionOf } from '../../http/session-auth.js';
import { bpParams } from '../accounts/schema.js';
import type { AccountsService } from '../accounts/service.js';
import { issuedKeyPairSchema, issueKeyPairBody, keyPairListSchema } from './schema.js';
import type { KeyPairsService, KeyPairView } from './service.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

function render(view: KeyPairView) {
  return { ...view, createdAt: view.createdAt.toISOString(), revokedAt: view.revokedAt?.toISOString() ?? null };
}

export function registerKeyPairRoutes(
  root: FastifyInstance,
  deps: { accounts: AccountsService; keypairs: KeyPairsService; sessionGuard: onRequestAsyncHookHandler; publicUrl: string | undefined },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, keypairs, sessionGuard } = deps;
  const tags = ['Dashboard: KeyPair'];

  app.get('/api/bps/:bpId/keypairs', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'The active Secondary KeyPair and the revoked history (developer and above)',
      params: bpParams,
      response: { 200: keyPairListSchema, ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'keypair:read');
      const list = await keypairs.list(access.bpId);
      return { active: list.active === null ? null : render(list.active), revoked: list.revoked.map(render) };
    },
  });

  app.post('/api/bps/:bpId/keypairs', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Generate (or upload) the Secondary KeyPair; refreshing revokes the active one at once (admin, re-authentication, confirm)',
      params: bpParams,
      body: issueKeyPairBody,
      response: { 201: issuedKeyPairSchema, ...errors },
    },
    handler: async (request, reply) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'keypair:manage');
      const body = request.body;
      const issued = await keypairs.issue(
        session,
        access,
        body.mode === 'generate' ? { mode: 'generate' } : { mode: 'upload', publicKey: body.publicKey },
        body.confirm,
        originOf(request),
      );
      const keyFile =
        issued.privateKey === null
          ? null
          : serializeKeyFile({
              keyId: issued.keypair.id,
              bpId: access.bpId,
              privateKey: issued.privateKey,
              baseUrl: deps.publicUrl ?? `${request.protocol}://${request.host}`,
              createdAt: issued.keypair.createdAt.toISOString(),
            });
      // The private key must not linger in any cache between here and the browser.
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ keypair: render(issued.keypair), privateKey: issued.privateKey, keyFile, replacedKeyId: issued.replaced });
    },
  });
}
