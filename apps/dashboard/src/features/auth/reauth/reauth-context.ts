import { createContext, useContext } from 'react';

/**
 * Runs a sensitive action; when the server answers `reauth_required`, asks the user to confirm
 * their identity and runs it once more. Rejects with ReauthCancelledError if they decline.
 */
export type WithReauth = <T>(action: () => Promise<T>) => Promise<T>;

/** The user closed the "Confirm it's you" dialog; callers treat this as a silent no-op. */
export class ReauthCancelledError extends Error {
  override readonly name = 'ReauthCancelledError';
  constructor() {
    super('Re-authentication was cancelled');
  }
}

export const ReauthContext = createContext<WithReauth | null>(null);

/**
 * @example
 * const withReauth = useReauth();
 * await withReauth(() => api.delete(`/api/bps/${bpId}/members/${userId}`));
 */
export function useReauth(): WithReauth {
  const withReauth = useContext(ReauthContext);
  if (withReauth === null) throw new Error('useReauth is only available inside <ReauthProvider>');
  return withReauth;
}
