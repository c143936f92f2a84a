import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ProblemAlert } from '../../ui/problem-alert';
import { useDismiss } from '../../ui/use-dismiss';
import { activeMembership, useCurrentSession } from '../auth/current-session';
import { NotificationItem } from './notification-item';
import { type AppNotification, notificationsApi, notificationsKey, useNotifications } from './notifications-api';

export function NotificationsBell() {
  const session = useCurrentSession();
  const membership = activeMembership(session);
  if (membership === null) return null;
  return <Bell bpId={membership.bpId} />;
}

function Bell({ bpId }: { readonly bpId: string }) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const notifications = useNotifications(bpId);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  const markRead = useMutation({
    mutationFn: (target: { all: true } | { ids: string[] }) => notificationsApi.markRead(bpId, target),
    onSettled: () => client.invalidateQueries({ queryKey: notificationsKey(bpId) }),
  });

  function openNotification(notification: AppNotification) {
    if (!notification.read) markRead.mutate({ ids: [notification.id] });
    close();
    if (notification.link !== null) navigate(notification.link);
  }

  const unread = notifications.data?.unreadCount ?? 0;
  const items = notifications.data?.items ?? [];
  return (
    <div className="menu" ref={ref}>
      <button
        type="button"
        className="icon-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`}
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden="true">
          <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0" />
        </svg>
        {unread > 0 && (
          <span className="count-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="menu-panel notifications-panel">
          <div className="notifications-header">
            <h2>Notifications</h2>
            <button type="button" className="btn-link" onClick={() => markRead.mutate({ all: true })} disabled={unread === 0 || markRead.isPending}>
              Mark all read
            </button>
          </div>
          <ProblemAlert error={notifications.error ?? markRead.error} />
          {notifications.isPending && <p className="muted notifications-empty">Loading…</p>}
          {notifications.isSuccess && items.length === 0 && <p className="muted notifications-empty">You are all caught up.</p>}
          {items.length > 0 && (
            <ul className="notifications-list">
              {items.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} onOpen={openNotification} />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
