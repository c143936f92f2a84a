import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../lib/errors.js';

/**
 * JSON body parser that keeps the exact bytes on `request.rawBody` (signed requests digest them)
 * and refuses prototype-poisoning keys (`__proto__`, `constructor.prototype`).
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(/^application\/([a-z.+-]*\+)?json$/, { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (body.length === 0) {
      done(new AppError('malformed_json', 'The body is empty but Content-Type says JSON; send a JSON document or no Content-Type.'), undefined);
      return;
    }
    try {
      done(null, secureJson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error: unknown) {
      done(new AppError('malformed_json', `The request body is not valid JSON${error instanceof SyntaxError ? `: ${error.message}` : ''}.`), undefined);
    }
  });
}
