import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, type FieldError } from '../lib/errors.js';
import { sendProblem } from './problem.js';

function fieldErrors(error: FastifyError): FieldError[] {
  const where = error.validationContext ?? 'body';
  return (error.validation ?? []).flatMap((issue) => {
    const path = issue.instancePath.split('/').filter((p) => p.length > 0);
    const keys = (issue.params as { keys?: unknown } | undefined)?.keys;
    // Unknown keys are reported on the parent object; name each key so the client sees which.
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      return keys.map((k) => ({ field: [where, ...path, String(k)].join('.'), message: 'Unknown field' }));
    }
    return [{ field: [where, ...path].join('.'), message: issue.message ?? 'Invalid value' }];
  });
}

/**
 * Maps everything thrown while handling a request to one {@link AppError} and renders it as
 * problem+json. Unknown errors are logged with their stack and answered with `internal_error`
 * and no detail: stack traces never reach clients.
 */
export function toAppError(request: FastifyRequest, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = fieldErrors(fastifyError);
    return new AppError('validation_failed', `Invalid ${errors.map((e) => e.field).join(', ') || 'request'}.`, { errors });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body exceeds the size limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'unsupported_media_type',
        `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted; send JSON as application/json (charset=utf-8 is fine).`,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', 'The body is empty but Content-Type says JSON; send a JSON document or no Content-Type.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('malformed_json', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new AppError('malformed_json', 'The request body is not valid JSON.');
  // Fastify marks what the client did wrong with a 4xx status — before the database check, since a
  // client that hangs up mid-body surfaces as a 400 with code ECONNRESET, like a lost database.
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('bad_request', fastifyError.message);
  }
  if (isDatabaseUnavailable(error))
    return new AppError('database_unavailable', 'The database is unreachable; retry in a few seconds.', {}, { 'retry-after': '5' });
  return new AppError('internal_error', `An unexpected error occurred. Quote request id ${request.id} when contacting support.`);
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(request, error);
  if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: appError.code }, 'request rejected');
  return sendProblem(request, reply, appError);
}
