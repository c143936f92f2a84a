import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import type { Metrics } from '../../http/metrics.js';
import { problemSchema } from '../../http/problem.js';
import { AppError } from '../../lib/errors.js';
import type { ScannerStatus } from '../chains/scanner/status.js';

const scannerStatusSchema = z.object({
  network: z.string(),
  headBlock: z.string().nullable(),
  scannedBlock: z.string(),
  lagBlocks: z.string().nullable(),
  lagSeconds: z.number().nullable(),
  headSeenAt: z.string().nullable(),
});

/** Liveness, readiness and Prometheus metrics for operators. */
export function registerSystemRoutes(
  root: FastifyInstance,
  deps: {
    database: Database;
    metrics: Metrics;
    version: string;
    role: string;
    /** Deposit scanners' progress; reported by /readyz, never a reason to fail it (the API works while a node is down). */
    chainStatus?: () => Promise<ScannerStatus[]>;
  },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['Operations'];

  app.get('/healthz', {
    schema: { tags, summary: 'Liveness: the process is up', response: { 200: z.object({ status: z.literal('ok'), version: z.string(), role: z.string() }) } },
    handler: async () => ({ status: 'ok' as const, version: deps.version, role: deps.role }),
  });

  app.get('/readyz', {
    schema: {
      tags,
      summary: 'Readiness: the database answers (with chain scanner lag, which never fails readiness)',
      response: {
        200: z.object({ status: z.literal('ready'), database: z.enum(['postgres', 'pglite']), chains: z.array(scannerStatusSchema).optional() }),
        503: problemSchema,
      },
    },
    handler: async () => {
      try {
        await deps.database.ping();
      } catch (error: unknown) {
        throw new AppError(
          'database_unavailable',
          `The ${deps.database.kind} database did not answer: ${error instanceof Error ? error.message : 'unknown error'}.`,
          {},
          { 'retry-after': '5' },
        );
      }
      const chains = deps.chainStatus === undefined ? [] : await deps.chainStatus();
      return { status: 'ready' as const, database: deps.database.kind, ...(chains.length > 0 ? { chains } : {}) };
    },
  });

  app.get('/metrics', {
    schema: { tags, summary: 'Prometheus metrics (text exposition format)', hide: false },
    handler: async (_request, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  });
}
