import type { FastifyInstance } from 'fastify';
import { AppError, type FieldError } from '../lib/errors.js';

/**
 * Text PostgreSQL cannot store: `text` refuses U+0000, and `jsonb` refuses a `\u0000` escape and
 * an unpaired surrogate (which `text` would silently turn into U+FFFD, so the stored value would
 * not be the one sent). Refusing both at the edge keeps every database answering the same 400
 * instead of a 500 from deep inside a query.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function problemOf(text: string): string | undefined {
  if (text.includes('\u0000')) return 'the NUL character (U+0000)';
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(text)) return 'an unpaired UTF-16 surrogate';
  return undefined;
}

/** A key as it can be shown in a field path: the offending characters spelled as escapes. */
function printable(key: string): string {
  return key.replaceAll('\u0000', '\\u0000').replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A body full of bad strings is answered with the first few, not a megabyte of errors. */
const MAX_REPORTED = 20;

/** Iterative, not recursive: a 1 MiB body can nest arrays deeper than the call stack. */
function collect(root: unknown, rootPath: string, out: FieldError[]): void {
  const stack: [unknown, string][] = [[root, rootPath]];
  for (let next = stack.pop(); next !== undefined && out.length < MAX_REPORTED; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      const message = problemOf(value);
      if (message !== undefined) out.push({ field: path, message: `Must not contain ${message}` });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}.${i}`]);
    } else if (value !== null && typeof value === 'object') {
      const children = Object.entries(value).map(([key, item]): [unknown, string, string] => [item, `${path}.${printable(key)}`, key]);
      for (const [, itemPath, key] of children) {
        const keyProblem = problemOf(key);
        if (keyProblem !== undefined) out.push({ field: itemPath, message: `The field name must not contain ${keyProblem}` });
      }
      for (const [item, itemPath] of children.reverse()) stack.push([item, itemPath]);
    }
  }
}

/**
 * Every string (values and keys, at any depth) of `value` that cannot be stored, as field errors
 * named like schema validation names them (`body.entries.0.label`, `querystring.action`).
 */
export function unsafeTextErrors(value: unknown, where: 'body' | 'querystring' | 'params'): FieldError[] {
  const out: FieldError[] = [];
  collect(value, where, out);
  return out.slice(0, MAX_REPORTED);
}

/** The 400 every part of a request gets for text it cannot store. */
export function unsafeTextError(errors: readonly FieldError[]): AppError {
  return new AppError('validation_failed', `Invalid ${errors.map((e) => e.field).join(', ')}: text with NUL or unpaired surrogates cannot be stored.`, {
    errors,
  });
}

/**
 * Checks the query string and path parameters of every route that declares them, once, for all
 * routes (bodies are checked by the JSON parser). Runs as the first preHandler: after
 * authentication and schema validation, so an unauthenticated caller still gets 401 and a
 * schema mismatch is reported as before, but before any handler hands the text to the database.
 */
export function registerUnsafeTextGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const schema = request.routeOptions.schema;
    if (schema === undefined) return;
    const errors = [
      ...(schema.params !== undefined ? unsafeTextErrors(request.params, 'params') : []),
      ...(schema.querystring !== undefined ? unsafeTextErrors(request.query, 'querystring') : []),
    ];
    if (errors.length > 0) throw unsafeTextError(errors);
  });
}
