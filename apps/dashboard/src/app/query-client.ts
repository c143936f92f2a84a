import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { SESSION_KEY } from '../features/auth/session-query';
import { isApiError } from './api-error';

/** Client errors will not fix themselves on retry; network blips and 5xx might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  // When any call finds the session gone (expired, logged out elsewhere), forget it so the
  // router sends the user to the log-in page instead of showing a wall of errors.
  const forgetSessionOnUnauthenticated = (error: unknown) => {
    if (isApiError(error, 'unauthenticated')) client.setQueryData(SESSION_KEY, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: forgetSessionOnUnauthenticated }),
    mutationCache: new MutationCache({ onError: forgetSessionOnUnauthenticated }),
    defaultOptions: {
      queries: { staleTime: 10_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
  return client;
}
