import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AppError, ERROR_CATALOGUE, type ErrorCode } from '../lib/errors.js';

/**
 * The one error shape (RFC 9457 problem details) every route returns, documented in OpenAPI
 * so clients can generate a type for it.
 */
export const problemSchema = z
  .object({
    type: z.string().describe('URI naming the error code'),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]).describe('Stable machine-readable code; see docs/errors.md'),
    detail: z.string().describe('What happened and what to do, for people'),
    requestId: z.string().describe('Quote this when asking for support'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Offending fields (validation_failed)'),
  })
  .loose()
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** How an error answer is documented in OpenAPI: the Problem schema under its own media type. */
export const problemResponse = {
  description: 'An error: an RFC 9457 problem document with a stable `code` (see docs/errors.md)',
  content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } },
} as const;

/** Conservative security headers on every response (the dashboard is same-origin only). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function problemFor(error: AppError, requestId: string): Problem {
  return {
    type: `urn:paygate:error:${error.code}`,
    title: ERROR_CATALOGUE[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.detail,
    requestId,
    ...error.extra,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(error.status).type(`${PROBLEM_MEDIA_TYPE}; charset=utf-8`).serializer(JSON.stringify).send(problemFor(error, request.id));
}
