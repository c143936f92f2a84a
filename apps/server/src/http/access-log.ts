import type { FastifyInstance } from 'fastify';
import { redactUrl } from '../lib/redact-url.js';

/** Paths polled by load balancers and scrapers: logged at debug so they do not drown the access log. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One access line per request (Fastify's own pair of "incoming request" / "request completed"
 * lines is switched off with `disableRequestLogging`). Health probes and metric scrapes go to
 * debug. The URL is logged without its query string and with secret path segments (invitation
 * and hosted deposit page tokens) redacted: both can carry what should not sit in logs.
 */
export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const path = redactUrl(request.url.split('?')[0] ?? '/');
    const line = {
      method: request.method,
      path,
      route: request.routeOptions.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
    };
    if (PROBE_PATHS.has(path)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
}
