import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { AccountsService, RequestOrigin, SessionContext } from '../modules/accounts/service.js';

export const SESSION_COOKIE = 'paygate_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the session guard on dashboard routes; absent elsewhere. */
    session?: SessionContext;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originOf(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null, requestId: request.id };
}

/** The session set by the guard; a route that calls this without the guard is a programming error. */
export function sessionOf(request: FastifyRequest): SessionContext {
  if (request.session === undefined) throw new AppError('unauthenticated', 'Log in to continue.');
  return request.session;
}

/**
 * Cookie flags: httpOnly always; SameSite=Lax so top-level navigation keeps the session but
 * cross-site subrequests do not; Secure whenever the request arrived over https (directly or,
 * with PAYGATE_TRUST_PROXY, via a proxy) or the public URL is https.
 */
export function sessionCookieOptions(request: FastifyRequest, publicUrl: string | undefined, maxAgeSeconds: number) {
  const secure = request.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

/**
 * onRequest guard for dashboard routes: resolves the session cookie, then — for every method
 * that can change state — requires the session's CSRF token in `x-csrf-token`. A cross-site page
 * can make the browser send the cookie but cannot read the token, so it cannot forge a mutation.
 */
export function createSessionGuard(accounts: AccountsService): onRequestAsyncHookHandler {
  return async function sessionGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const session = await accounts.resolveSession(request.cookies[SESSION_COOKIE]);
    if (session === null) throw new AppError('unauthenticated', 'Your session is missing or expired. Log in again.');
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (!accounts.csrfMatches(session, typeof header === 'string' ? header : undefined)) {
        throw new AppError('csrf_token_invalid', `Send the session's CSRF token (GET /api/session → csrfToken) in the ${CSRF_HEADER} header.`);
      }
    }
    request.session = session;
  };
}
