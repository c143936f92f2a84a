import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { AppError } from '../lib/errors.js';

const METHODS: readonly HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Fastify answers an unknown method on a known path with 404. To answer 405 with an `Allow`
 * header instead, keep a shadow router of every registered route and ask it, on a miss, which
 * methods the path does accept. The returned function is the not-found answer: 405 when the path
 * exists with other methods only, 404 otherwise — including when a route with this very method
 * matched but had nothing to serve (a wildcard static route for a file that does not exist).
 */
export function trackRoutes(app: FastifyInstance): (method: string, path: string) => AppError {
  const shadow = FindMyWay({ ignoreTrailingSlash: false });
  const noop = () => undefined;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (METHODS.includes(method as HTTPMethod) && !shadow.hasRoute(method as HTTPMethod, route.url)) shadow.on(method as HTTPMethod, route.url, noop);
    }
  });
  return (method: string, path: string) => {
    const allow = METHODS.filter((m) => shadow.find(m, path) !== null);
    // Fastify serves HEAD wherever it serves GET.
    const asked = method === 'HEAD' ? 'GET' : method;
    if (allow.length > 0 && !allow.includes(asked as HTTPMethod)) {
      return new AppError('method_not_allowed', `${method} is not allowed on ${path}; use ${allow.join(', ')}.`, { allow }, { allow: allow.join(', ') });
    }
    return new AppError('route_not_found', `Nothing at ${method} ${path}. See /docs for the API reference.`);
  };
}
