import type { FastifyInstance } from 'fastify';
import { problemResponse, problemSchema } from './problem.js';

/** Methods whose requests Fastify reads a body for (and so can refuse for its size or type). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Completes the documented error answers of every operation, in one place:
 * - each error a route declares with `problemSchema` is documented as what is actually sent,
 *   `application/problem+json`;
 * - the answers that come from the HTTP layer rather than from the route are added, so the
 *   OpenAPI document lists every status a client can get: 400/413/415 wherever a body is read
 *   (even by routes that ignore it), 400/414 with path parameters, 400 with a query schema, and
 *   503 everywhere (database unreachable, shutting down).
 * Routes keep declaring the errors of their own rules.
 */
export function documentHttpErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (schema === undefined || schema.hide === true || schema.response === undefined) return;
    const response = schema.response as Record<string, unknown>;
    for (const [status, declared] of Object.entries(response)) if (declared === problemSchema) response[status] = problemResponse;
    const add = (...statuses: string[]) => {
      for (const status of statuses) response[status] ??= problemResponse;
    };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((m) => BODY_METHODS.has(m))) add('400', '413', '415');
    if (schema.params !== undefined) add('400', '414');
    if (schema.querystring !== undefined) add('400');
    add('503');
  });
}
