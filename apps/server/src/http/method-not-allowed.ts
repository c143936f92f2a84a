import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

const METHODS: readonly HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Fastify answers an unknown method on a known path with 404. To answer 405 with an `Allow`
 * header instead, keep a shadow router of every registered route and ask it, on a miss, which
 * methods the path does accept.
 */
export function trackRoutes(app: FastifyInstance): (path: string) => string[] {
  const shadow = FindMyWay({ ignoreTrailingSlash: false });
  const noop = () => undefined;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (METHODS.includes(method as HTTPMethod) && !shadow.hasRoute(method as HTTPMethod, route.url)) shadow.on(method as HTTPMethod, route.url, noop);
    }
  });
  return (path: string) => METHODS.filter((m) => shadow.find(m, path) !== null);
}
