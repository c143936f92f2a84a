import { type ReactNode, useCallback, useRef, useState } from 'react';
import { isApiError } from '../../../app/api-error';
import { ReauthCancelledError, ReauthContext, type WithReauth } from './reauth-context';
import { ReauthDialog } from './reauth-dialog';

interface PendingConfirmation {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Hosts the single "Confirm it's you" dialog that every sensitive action shares. */
export function ReauthProvider({ children }: { readonly children: ReactNode }) {
  const [pending, setPending] = useState<PendingConfirmation | null>(null);
  // Concurrent actions that hit reauth_required share one dialog instead of stacking several.
  const inFlight = useRef<Promise<void> | null>(null);

  const confirmIdentity = useCallback((): Promise<void> => {
    if (inFlight.current !== null) return inFlight.current;
    const confirmation = new Promise<void>((resolve, reject) => setPending({ resolve, reject }));
    const settled = confirmation.finally(() => {
      inFlight.current = null;
      setPending(null);
    });
    inFlight.current = settled;
    return settled;
  }, []);

  const withReauth: WithReauth = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error: unknown) {
        if (!isApiError(error, 'reauth_required')) throw error;
        await confirmIdentity();
        return action();
      }
    },
    [confirmIdentity],
  );

  return (
    <ReauthContext value={withReauth}>
      {children}
      {pending !== null && <ReauthDialog onConfirmed={pending.resolve} onCancel={() => pending.reject(new ReauthCancelledError())} />}
    </ReauthContext>
  );
}
