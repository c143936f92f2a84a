import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { newId } from '../lib/ids.js';
import { registerAccountsRoutes } from '../modules/accounts/routes.js';
import { registerAuditRoutes } from '../modules/audit/routes.js';
import { registerBpApiRoutes } from '../modules/bp-api/routes.js';
import { registerDeliveryRoutes } from '../modules/callbacks/delivery-routes.js';
import { registerCallbackSettingsRoutes } from '../modules/callbacks/routes.js';
import { scannerStatuses } from '../modules/chains/scanner/status.js';
import { registerDepositPageRoutes } from '../modules/deposit-pages/routes.js';
import { registerIpAllowlistRoutes } from '../modules/ip-allowlist/routes.js';
import { registerKeyPairRoutes } from '../modules/keypairs/routes.js';
import { registerPaymentsRoutes } from '../modules/payments/routes.js';
import { registerSystemRoutes } from '../modules/system/routes.js';
import { registerUsageRoutes } from '../modules/usage/routes.js';
import type { Services } from '../runtime.js';
import { registerAccessLog } from './access-log.js';
import { documentHttpErrors } from './documented-errors.js';
import { toAppError } from './error-handler.js';
import { registerJsonParser } from './json-body.js';
import { trackRoutes } from './method-not-allowed.js';
import { instrument } from './metrics.js';
import { SECURITY_HEADERS, sendProblem } from './problem.js';
import { answerWhileClosing, connectionOptions } from './server-options.js';
import { createSessionGuard } from './session-auth.js';
import { createSignatureGuard } from './signature-auth.js';
import { registerUnsafeTextGuard } from './unsafe-text.js';

export interface AppDeps {
  readonly logger: FastifyBaseLogger;
  readonly services: Services;
  readonly options: {
    readonly version: string;
    readonly role: string;
    readonly publicUrl: string | undefined;
    readonly trustProxy: boolean | string | string[];
    readonly bodyLimitBytes: number;
    /** Headers and body must arrive within this long, or the request is answered 408 and closed. */
    readonly requestTimeoutMs: number;
    readonly sessionTtlSeconds: number;
    readonly signatureWindowSeconds: number;
    readonly callbackSourceIps: readonly string[];
    /** The sandbox worker's automatic confirmation delay (shown on the Sandbox page); 0 = off. */
    readonly sandboxAutoConfirmSeconds: number;
    /** Folder with the built dashboard (index.html); undefined or missing = API only. */
    readonly dashboardDir: string | undefined;
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const API_PREFIXES = ['/api/', '/v1/', '/pay/', '/docs', '/openapi.json', '/healthz', '/readyz', '/metrics'];

/**
 * Build the HTTP application (not listening). Everything it needs is passed in, so tests build
 * it over any database and read responses with `app.inject` or a real socket.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { options, services } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimitBytes,
    // Honour a caller's well-formed x-request-id (so a BP can correlate), otherwise mint req_…
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId('req');
    },
    // One access line per request instead of Fastify's two (see access-log.ts).
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    ...connectionOptions({ requestTimeoutMs: options.requestTimeoutMs }, deps.logger, services.metrics),
  });
  registerAccessLog(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const notFound = trackRoutes(app);
  documentHttpErrors(app);
  registerJsonParser(app);
  registerUnsafeTextGuard(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  answerWhileClosing(app);
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });
  instrument(app, services.metrics);

  const requestLog = services.requestLog;
  if (requestLog !== undefined) {
    // Every /v1/ request attributable to a BP — including ones refused for their signature, once
    // the keyid named a known key — goes to the usage log, off the request path.
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route === undefined || !route.startsWith('/v1/')) return;
      const who = request.principal ?? request.claimedKey;
      if (who === undefined) return;
      requestLog.record({
        occurredAt: new Date(),
        bpId: who.bpId,
        keyId: who.keyId,
        method: request.method,
        route,
        status: reply.statusCode,
        durationUs: Math.round(reply.elapsedTime * 1000),
        clientIp: request.ip,
        errorCode: request.errorCode ?? null,
        errorMessage: request.errorMessage ?? null,
        requestId: request.id,
      });
    });
  }

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(request, error);
    request.errorCode = appError.code;
    request.errorMessage = appError.detail.slice(0, 500);
    services.metrics.httpErrors.inc({ code: appError.code });
    if (appError.status >= 500) request.log.error({ err: error, code: appError.code }, 'request failed');
    else request.log.info({ code: appError.code }, 'request rejected');
    return sendProblem(request, reply, appError);
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Paygate API',
        version: options.version,
        description:
          'Dashboard routes (`/api/…`) authenticate with the session cookie and require the `x-csrf-token` header on mutations. ' +
          'Every error is an RFC 9457 problem document with a stable `code` (see docs/errors.md).',
      },
      servers: options.publicUrl ? [{ url: options.publicUrl }] : [],
      components: {
        securitySchemes: {
          httpSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Signature',
            description:
              'RFC 9421 HTTP Message Signature with your Secondary KeyPair (Ed25519): Signature-Input covering "@method" "@path" "@query" (+ "content-digest" with a body), with created, keyid, alg="ed25519" and nonce. See docs/request-signing.md; the SDK does this for you.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const { accounts } = services;
  const sessionGuard = createSessionGuard(accounts);
  const signatureGuard = createSignatureGuard({
    credentials: services.credentials,
    nonces: services.nonces,
    allowlist: services.allowlist,
    clock: services.clock,
    windowSeconds: options.signatureWindowSeconds,
  });
  registerSystemRoutes(app, {
    database: services.database,
    metrics: services.metrics,
    version: options.version,
    role: options.role,
    chainStatus: () => scannerStatuses(services.scannerStore, services.clock),
  });
  registerAccountsRoutes(app, { accounts, sessionGuard, publicUrl: options.publicUrl, sessionTtlSeconds: options.sessionTtlSeconds });
  registerAuditRoutes(app, { accounts, audit: services.audit, sessionGuard });
  registerKeyPairRoutes(app, { accounts, keypairs: services.keypairs, sessionGuard, publicUrl: options.publicUrl });
  registerIpAllowlistRoutes(app, { accounts, allowlist: services.allowlist, sessionGuard, callbackSourceIps: options.callbackSourceIps });
  registerCallbackSettingsRoutes(app, { accounts, settings: services.callbackSettings, apiSecrets: services.apiSecrets, sessionGuard });
  registerDeliveryRoutes(app, { accounts, deliveries: services.deliveries, sessionGuard, signatureGuard });
  registerPaymentsRoutes(app, {
    accounts,
    payments: services.payments,
    sandbox: services.sandbox,
    sessionGuard,
    signatureGuard,
    sandboxAutoConfirmSeconds: options.sandboxAutoConfirmSeconds,
  });
  registerDepositPageRoutes(app, { pages: services.depositPages, signatureGuard, publicUrl: options.publicUrl, version: options.version });
  registerUsageRoutes(app, { accounts, usage: services.usage, requestLog: services.requestLogQueries, sessionGuard, signatureGuard });
  registerBpApiRoutes(app, { signatureGuard, callbackSourceIps: options.callbackSourceIps });

  const dashboard = options.dashboardDir !== undefined && existsSync(join(options.dashboardDir, 'index.html')) ? options.dashboardDir : undefined;
  if (dashboard !== undefined) {
    await app.register(fastifyStatic, { root: dashboard, prefix: '/', wildcard: false, index: ['index.html'], cacheControl: true, maxAge: '1h' });
  } else {
    deps.logger.warn({ dashboardDir: options.dashboardDir }, 'dashboard build not found; serving the API only (run `npm run build`)');
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isApi = API_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));
    // Client-side routes of the single-page dashboard all load index.html.
    if (dashboard !== undefined && !isApi && (request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(request, reply, notFound(request.method, path));
  });

  return app;
}
