import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../app/api-client';

export interface AppNotification {
  readonly id: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly createdAt: string;
  readonly read: boolean;
}

interface NotificationsPage {
  readonly items: AppNotification[];
  readonly unreadCount: number;
  readonly nextCursor: string | null;
}

export const notificationsKey = (bpId: string) => ['bp', bpId, 'notifications'] as const;

export const notificationsApi = {
  list: (bpId: string) => api.get<NotificationsPage>(`/api/bps/${bpId}/notifications${queryString({ limit: 20 })}`),
  markRead: (bpId: string, target: { all: true } | { ids: string[] }) => api.post<{ marked: number }>(`/api/bps/${bpId}/notifications/read`, target),
};

export function useNotifications(bpId: string) {
  // Polled so the unread badge notices team changes made by others without a reload.
  return useQuery({ queryKey: notificationsKey(bpId), queryFn: () => notificationsApi.list(bpId), refetchInterval: 60_000 });
}
