import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';

/** The six kinds a BP sets a URL for; `verification` callbacks go to the URL of the kind they confirm. */
export type CallbackKind = 'deposit' | 'pendingDeposit' | 'failedDeposit' | 'payout' | 'pendingPayout' | 'failedPayout';

export interface CallbackUrl {
  readonly url: string | null;
  /** Always false while `url` is null. */
  readonly enabled: boolean;
}

/** GET and PUT /api/bps/:bpId/callbacks/settings answer with the same document. */
export interface CallbackSettings {
  /** Per attempt: how long Paygate waits for a 2xx (1000–30000, default 5000). */
  readonly timeoutMs: number;
  readonly urls: Readonly<Record<CallbackKind, CallbackUrl>>;
}

/** PUT body: a null URL removes it; kinds left out stay as they are. */
export interface CallbackSettingsInput {
  readonly timeoutMs?: number;
  readonly urls: Partial<Record<CallbackKind, { readonly url: string | null; readonly enabled?: boolean }>>;
}

export const callbackSettingsKey = (bpId: string) => ['bp', bpId, 'callback-settings'] as const;

export const callbackSettingsApi = {
  get: (bpId: string) => api.get<CallbackSettings>(`/api/bps/${bpId}/callbacks/settings`),
  update: (bpId: string, input: CallbackSettingsInput) => api.put<CallbackSettings>(`/api/bps/${bpId}/callbacks/settings`, input),
};

export function useCallbackSettings(bpId: string) {
  return useQuery({ queryKey: callbackSettingsKey(bpId), queryFn: () => callbackSettingsApi.get(bpId) });
}
