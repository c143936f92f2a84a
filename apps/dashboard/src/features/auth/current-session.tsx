import { createContext, type ReactNode, useContext } from 'react';
import { Redirect, useLocation, useSearch } from 'wouter';
import { FullPageError, FullPageLoading } from '../../ui/full-page-status';
import { useSession } from './session-query';
import type { Membership, Session } from './session-types';

const CurrentSessionContext = createContext<Session | null>(null);
const ActiveBpContext = createContext<Membership | null>(null);

/** Pages inside the app shell: the guard below guarantees a session is present. */
export function useCurrentSession(): Session {
  const session = useContext(CurrentSessionContext);
  if (session === null) throw new Error('useCurrentSession is only available inside <RequireSession>');
  return session;
}

/** The Business Partner the session works on; only inside <RequireActiveBp>. */
export function useActiveBp(): Membership {
  const membership = useContext(ActiveBpContext);
  if (membership === null) throw new Error('useActiveBp is only available inside <RequireActiveBp>');
  return membership;
}

export function activeMembership(session: Session): Membership | null {
  return session.memberships.find((m) => m.bpId === session.activeBpId) ?? null;
}

/** Only the same site's paths are followed after log-in, so a crafted link cannot bounce users elsewhere. */
export function safeNextPath(value: string | null): string | null {
  if (value === null) return null;
  return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : null;
}

export function RequireSession({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  // Keep showing cached data during a failed background refetch rather than flashing an error.
  if (session.data === undefined) {
    if (session.isError) return <FullPageError error={session.error} onRetry={() => void session.refetch()} />;
    return <FullPageLoading />;
  }
  if (session.data === null) {
    const next = location === '/' ? '' : `?next=${encodeURIComponent(location)}`;
    return <Redirect to={`/login${next}`} replace />;
  }
  return <CurrentSessionContext value={session.data}>{children}</CurrentSessionContext>;
}

/** Log-in and sign-up make no sense with a session; send the user on into the app. */
export function PublicOnly({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  const next = safeNextPath(new URLSearchParams(useSearch()).get('next'));
  if (session.data === undefined && !session.isError) return <FullPageLoading />;
  if (session.data) return <Redirect to={next ?? '/developers/overview'} replace />;
  return children;
}

export function RequireActiveBp({ children }: { readonly children: ReactNode }) {
  const session = useCurrentSession();
  const membership = activeMembership(session);
  if (membership === null) {
    return (
      <section className="panel empty-state">
        <h1>No Business Partner yet</h1>
        <p>You are not a member of any Business Partner. Ask an admin of your team for an invitation link, then open it while logged in.</p>
      </section>
    );
  }
  return <ActiveBpContext value={membership}>{children}</ActiveBpContext>;
}
