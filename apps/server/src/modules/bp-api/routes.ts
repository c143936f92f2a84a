import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { principalOf } from '../../http/signature-auth.js';

/** Every signed route answers these when the signature is refused. */
export const signedErrors = { 401: problemSchema, 403: problemSchema };

/** `/v1/me` (test your credentials) and the public `/v1/meta/…` routes. */
export function registerBpApiRoutes(
  root: FastifyInstance,
  deps: { signatureGuard: preValidationAsyncHookHandler; callbackSourceIps: readonly string[] },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/v1/me', {
    preValidation: deps.signatureGuard,
    schema: {
      tags: ['BP API'],
      summary: 'Who you are authenticated as: test your KeyPair and signing',
      security: [{ httpSignature: [] }],
      response: {
        200: z
          .object({ bpId: z.string(), bpName: z.string(), keyId: z.string(), environment: z.enum(['sandbox', 'live']), serverTime: z.iso.datetime() })
          .meta({ id: 'Me' }),
        ...signedErrors,
      },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return {
        bpId: principal.bpId,
        bpName: principal.bpName,
        keyId: principal.keyId,
        environment: principal.environment,
        serverTime: new Date().toISOString(),
      };
    },
  });

  app.get('/v1/meta/callback-ips', {
    schema: {
      tags: ['BP API'],
      summary: 'Addresses Paygate sends callbacks from (public): allowlist them on your callback endpoint',
      response: { 200: z.object({ addresses: z.array(z.string()), note: z.string() }) },
    },
    handler: async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return {
        addresses: [...deps.callbackSourceIps],
        note:
          deps.callbackSourceIps.length === 0
            ? 'This Paygate instance has not published fixed callback source addresses; verify callback signatures instead.'
            : 'Callbacks come only from these addresses. Still verify every callback signature.',
      };
    },
  });
}
