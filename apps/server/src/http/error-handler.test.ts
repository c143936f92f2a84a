import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/errors.js';
import { toAppError } from './error-handler.js';

const request = { id: 'req_test', headers: {} } as unknown as FastifyRequest;

function errorWithCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toAppError', () => {
  it('passes AppErrors through unchanged', () => {
    const original = new AppError('last_owner', 'keep one');
    expect(toAppError(request, original)).toBe(original);
  });

  it('maps an unreachable database to 503 database_unavailable with Retry-After', () => {
    for (const error of [
      errorWithCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      errorWithCode('terminating connection due to administrator command', '57P01'),
      new Error('Connection terminated unexpectedly'),
    ]) {
      const mapped = toAppError(request, error);
      expect(mapped.code).toBe('database_unavailable');
      expect(mapped.status).toBe(503);
      expect(mapped.headers['retry-after']).toBe('5');
    }
  });

  it('a client that hung up mid-body is its own 400, not a lost database (both say ECONNRESET)', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(toAppError(request, aborted).code).toBe('bad_request');
  });

  it('hides everything else behind internal_error', () => {
    const mapped = toAppError(request, new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(mapped.code).toBe('internal_error');
    expect(mapped.detail).not.toContain('Cannot read');
    expect(mapped.detail).toContain('req_test');
  });

  it('keeps constraint violations (SQLSTATE 23xxx) as internal, not unavailable', () => {
    expect(toAppError(request, errorWithCode('duplicate key', '23505')).code).toBe('internal_error');
  });
});
