import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { CallbackVerificationError, type VerifiedCallback, verifyCallback } from '@paygate/protocol';

/** Read a node:http request's body as the exact bytes received (verify before parsing). */
export async function readRawBody(req: IncomingMessage, limitBytes = 1_048_576): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limitBytes) throw new Error(`Callback body larger than ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export interface CallbackHandlerOptions<T> {
  /** Your API secret, or several during a rotation. */
  readonly secret: string | readonly string[];
  readonly toleranceSeconds?: number;
  /**
   * Called once the signature verified. Make it idempotent (de-duplicate on `webhookId`): Paygate
   * retries until it gets a 2xx, so the same callback can arrive more than once.
   */
  readonly onCallback: (callback: VerifiedCallback<T>) => Promise<void> | void;
}

/**
 * A node:http handler for Paygate callbacks: reads the raw body, verifies both signature schemes,
 * calls `onCallback`, and answers 204 — or 401 for an unverifiable request, 500 if your handler
 * throws (so Paygate retries).
 *
 * @example
 * http.createServer(createCallbackHandler({ secret, onCallback: async (cb) => credit(cb) })).listen(8080);
 */
export function createCallbackHandler<T = unknown>(options: CallbackHandlerOptions<T>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      let verified: VerifiedCallback<T>;
      try {
        const rawBody = await readRawBody(req);
        verified = verifyCallback<T>({
          rawBody,
          headers: req.headers,
          secret: options.secret,
          ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
        });
      } catch (error: unknown) {
        res.writeHead(error instanceof CallbackVerificationError ? 401 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: error instanceof CallbackVerificationError ? error.reason : 'bad_request' }));
        return;
      }
      try {
        await options.onCallback(verified);
        res.writeHead(204);
        res.end();
      } catch (_error: unknown) {
        res.writeHead(500);
        res.end();
      }
    })();
  };
}

/** The minimal shape of a Fastify instance this helper needs (no dependency on Fastify). */
export interface FastifyLike {
  addContentTypeParser(
    type: string,
    options: { parseAs: 'buffer' },
    parser: (req: unknown, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
  post(
    path: string,
    handler: (
      request: { body: unknown; headers: IncomingHttpHeaders },
      reply: { code(status: number): { send(payload?: unknown): unknown } },
    ) => Promise<unknown>,
  ): unknown;
}

/**
 * Register a Paygate callback route on Fastify, keeping the raw body for verification. Use it in
 * its own plugin scope (it replaces the JSON parser there).
 */
export function registerFastifyCallbackRoute<T = unknown>(app: FastifyLike, path: string, options: CallbackHandlerOptions<T>): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post(path, async (request, reply) => {
    let verified: VerifiedCallback<T>;
    try {
      verified = verifyCallback<T>({
        rawBody: request.body as Buffer,
        headers: request.headers,
        secret: options.secret,
        ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
      });
    } catch (error: unknown) {
      return reply.code(401).send({ error: error instanceof CallbackVerificationError ? error.reason : 'bad_request' });
    }
    await options.onCallback(verified);
    return reply.code(204).send();
  });
}

/**
 * For Express: mount with `express.raw({ type: 'application/json' })` so `req.body` is the raw
 * Buffer, then call this in the route.
 *
 * @example
 * app.post('/paygate', express.raw({ type: 'application/json' }), (req, res) => {
 *   const cb = verifyExpressCallback(req, secret); ... res.sendStatus(204);
 * });
 */
export function verifyExpressCallback<T = unknown>(
  req: { body: unknown; headers: IncomingHttpHeaders },
  secret: string | readonly string[],
  toleranceSeconds?: number,
): VerifiedCallback<T> {
  if (!Buffer.isBuffer(req.body)) throw new TypeError('Mount express.raw({ type: "application/json" }) on this route so the raw body can be verified');
  return verifyCallback<T>({ rawBody: req.body, headers: req.headers, secret, ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}) });
}
