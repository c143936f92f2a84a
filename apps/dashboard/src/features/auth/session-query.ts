import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import { isApiError } from '../../app/api-error';
import { rememberCsrfToken } from '../../app/csrf-token';
import type { Session } from './session-types';

export const SESSION_KEY = ['session'] as const;

/** The current session, or null when logged out (a 401 here is an answer, not a failure). */
async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/api/session');
    rememberCsrfToken(session.csrfToken);
    return session;
  } catch (error: unknown) {
    if (isApiError(error, 'unauthenticated')) {
      rememberCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

/** Adopt a session document returned by a mutation (log-in, sign-up, BP switch, accept). */
export function storeSession(client: QueryClient, session: Session): void {
  rememberCsrfToken(session.csrfToken);
  client.setQueryData(SESSION_KEY, session);
}

/** Drop everything cached for the previous user. */
export function forgetSession(client: QueryClient): void {
  rememberCsrfToken(null);
  client.removeQueries();
  client.setQueryData(SESSION_KEY, null);
}
