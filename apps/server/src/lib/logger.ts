import { type Logger, pino } from 'pino';

/**
 * Paths that must never reach a log line, whatever a future log call passes in.
 * Request logs carry only method, url and address; these are a second line of defence.
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'paygate' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
