import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../lib/errors.js';
import { unsafeTextError, unsafeTextErrors } from './unsafe-text.js';

/**
 * `application/json` or any `application/…+json`, with or without parameters. Fastify matches a
 * parser's pattern against the normalised header (lower-case type, `; name="value"` parameters),
 * so the pattern must allow what follows the subtype.
 */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]*\+)?json(;|$)/;
const UTF8 = new Set(['utf-8', 'utf8']);
/** Fatal: invalid UTF-8 is refused rather than silently stored as U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; undefined when absent. */
export function charsetOf(contentType: string | undefined): string | undefined {
  for (const part of (contentType ?? '').split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return undefined;
}

/**
 * JSON body parser that keeps the exact bytes on `request.rawBody` (signed requests digest them),
 * refuses prototype-poisoning keys (`__proto__`, `constructor.prototype`), and refuses text no
 * database can store (NUL, unpaired surrogates) anywhere in the document, keys included — once
 * here, so no route can forget it. JSON is UTF-8 (RFC 8259 §8.1): a `charset` parameter is
 * accepted when it says so and refused with 415 otherwise; other parameters are ignored.
 * Every other media type (`text/plain` included) has no parser and gets 415.
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && !UTF8.has(charset)) {
      done(
        new AppError('unsupported_media_type', `JSON bodies must be UTF-8; charset=${charset} is not accepted. Send charset=utf-8 or no charset.`),
        undefined,
      );
      return;
    }
    if (body.length === 0) {
      done(new AppError('malformed_json', 'The body is empty but Content-Type says JSON; send a JSON document or no Content-Type.'), undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new AppError('malformed_json', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error: unknown) {
      done(new AppError('malformed_json', `The request body is not valid JSON${error instanceof SyntaxError ? `: ${error.message}` : ''}.`), undefined);
      return;
    }
    const unsafe = unsafeTextErrors(parsed, 'body');
    if (unsafe.length > 0) {
      done(unsafeTextError(unsafe), undefined);
      return;
    }
    done(null, parsed);
  });
}
