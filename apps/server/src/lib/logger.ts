import { type Logger, pino } from 'pino';
import { redactUrl } from './redact-url.js';

/**
 * Paths that must never reach a log line, whatever a future log call passes in.
 * Request logs carry only method, url (secrets redacted) and address; these are a second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers.signature',
  'res.headers["set-cookie"]',
  '*.password',
  '*.totpCode',
  '*.token',
  '*.secret',
  '*.privateKey',
  'password',
  'token',
  'secret',
  'privateKey',
];

/** The parts of an HTTP request a log line shows (Fastify's request or Node's). */
interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number } | null;
}

/**
 * Request logs show method, URL, host and client address — with secrets in the URL (invitation
 * tokens, `?token=` …) redacted. Fastify uses this serializer instead of its own for `req`.
 */
export const requestSerializer = (req: LoggedRequest) => ({
  method: req.method,
  url: req.url === undefined ? undefined : redactUrl(req.url),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'paygate' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: requestSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
