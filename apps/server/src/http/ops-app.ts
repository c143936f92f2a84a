import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../db/database.js';
import { AppError } from '../lib/errors.js';
import type { ScannerStatus } from '../modules/chains/scanner/status.js';
import { registerSystemRoutes } from '../modules/system/routes.js';
import { registerAccessLog } from './access-log.js';
import { errorHandler } from './error-handler.js';
import type { Metrics } from './metrics.js';
import { sendProblem } from './problem.js';
import { answerWhileClosing, connectionOptions } from './server-options.js';

export interface OpsAppDeps {
  readonly logger: FastifyBaseLogger;
  readonly database: Database;
  readonly metrics: Metrics;
  readonly version: string;
  readonly role: string;
  readonly chainStatus?: () => Promise<ScannerStatus[]>;
  readonly requestTimeoutMs: number;
}

/**
 * What a `--role worker` process serves: `/healthz`, `/readyz` and `/metrics` only (no API, no
 * dashboard) — so an orchestrator can probe workers and Prometheus can scrape their delivery
 * counters like any other process.
 *
 * @example
 * const ops = await buildOpsApp({ logger, database, metrics, version: '0.1.0', role: 'worker', requestTimeoutMs: 30_000 });
 * await ops.listen({ port: 3001, host: '127.0.0.1' });
 */
export async function buildOpsApp(deps: OpsAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    forceCloseConnections: true,
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    ...connectionOptions({ requestTimeoutMs: deps.requestTimeoutMs }, deps.logger, deps.metrics),
  });
  registerAccessLog(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  answerWhileClosing(app);
  registerSystemRoutes(app, { database: deps.database, metrics: deps.metrics, version: deps.version, role: deps.role, chainStatus: deps.chainStatus });
  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(
      request,
      reply,
      new AppError(
        'route_not_found',
        `No route ${request.method} ${request.url.split('?')[0] ?? '/'} on a ${deps.role} process: it serves /healthz, /readyz and /metrics only.`,
      ),
    ),
  );
  await app.ready();
  return app;
}
