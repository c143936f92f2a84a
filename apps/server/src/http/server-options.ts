import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { AppError } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { toAppError } from './error-handler.js';
import type { Metrics } from './metrics.js';
import { problemFor, SECURITY_HEADERS, sendProblem } from './problem.js';

export interface ConnectionLimits {
  /** A request's headers and body must arrive within this long, or it is answered 408 and closed. */
  readonly requestTimeoutMs: number;
}

/**
 * Longer than the idle timeout of common load balancers (60 s), so the balancer, not Paygate,
 * closes an idle keep-alive connection and never sends a request into a socket being closed.
 */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/** Node's HTTP parser errors (and its timeouts) as catalogue errors. */
function clientErrorToAppError(code: string | undefined): AppError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('request_timeout', 'The request headers and body were not received in time; the connection is closed.');
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('headers_too_large', 'The request line and headers together exceed 16 KiB.');
    default:
      return new AppError('bad_request', 'The request is not well-formed HTTP/1.1.');
  }
}

/**
 * The problem document written straight to the socket: a client error happens before Node has
 * made a request or response object, so there is no Fastify reply to send it with.
 */
function rawProblem(error: AppError, requestId: string): string {
  const body = JSON.stringify(problemFor(error, requestId));
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    'x-request-id': requestId,
    ...SECURITY_HEADERS,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n${lines.join('')}\r\n${body}`;
}

/** Whether Node already began a response on this socket (then nothing more may be written). */
function responseStarted(socket: Socket): boolean {
  // Node's own default clientError handler checks the same (internal) field.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  return current?.headersSent === true;
}

/**
 * Fastify options shared by every Paygate HTTP server (API and worker ops): timeouts that close
 * a stalled request, and problem+json for every error Node or Fastify answers before a route
 * runs — malformed HTTP, oversized headers, timeouts, undecodable URLs, over-long parameters.
 */
export function connectionOptions(
  limits: ConnectionLimits,
  logger: FastifyBaseLogger,
  metrics: Metrics | undefined,
): Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'clientErrorHandler' | 'frameworkErrors' | 'return503OnClosing'> & {
  http: { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number };
} {
  const { requestTimeoutMs } = limits;
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      // Node checks the timeouts above only this often (default 30 s, which would double them).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
    },
    // Requests arriving while the server closes get a problem document (see answerWhileClosing).
    return503OnClosing: false,
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      // A reset connection has nobody to answer to.
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const appError = clientErrorToAppError(error.code);
      const requestId = newId('req');
      metrics?.httpErrors.inc({ code: appError.code });
      // Never the error object itself: it carries the raw request bytes (cookies, signatures).
      logger.debug({ requestId, code: appError.code, parserError: error.code }, 'client error');
      if (!socket.writable || responseStarted(socket)) {
        socket.destroy();
        return;
      }
      socket.end(rawProblem(appError, requestId), () => socket.destroy());
    },
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      let appError: AppError;
      if (error.code === 'FST_ERR_BAD_URL') appError = new AppError('bad_request', 'The URL has an invalid percent-encoding.');
      else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') appError = new AppError('uri_too_long', 'A path segment of the URL is too long.');
      else appError = toAppError(request, error);
      request.errorCode = appError.code;
      metrics?.httpErrors.inc({ code: appError.code });
      reply.header('x-request-id', request.id);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
      return sendProblem(request, reply, appError);
    },
  };
}

/**
 * Once the server starts closing, new requests (on connections still open) get 503
 * `shutting_down` with `Connection: close`, so a load balancer retries them elsewhere; requests
 * already being handled finish normally.
 */
export function answerWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    return sendProblem(request, reply, new AppError('shutting_down', 'This server is shutting down; retry the request.', {}, { 'retry-after': '1' }));
  });
}
