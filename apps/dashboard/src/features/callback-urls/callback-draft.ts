import { CALLBACK_KINDS } from './callback-kinds';
import type { CallbackKind, CallbackSettings, CallbackSettingsInput } from './callback-settings-api';

/** The form being edited: URLs as typed ('' = none) and the timeout in whole seconds, as typed. */
export interface CallbackDraft {
  readonly timeoutSeconds: string;
  readonly urls: Readonly<Record<CallbackKind, { readonly url: string; readonly enabled: boolean }>>;
}

export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 30;

export function draftFrom(settings: CallbackSettings): CallbackDraft {
  const urls = settings.urls;
  return {
    timeoutSeconds: String(Math.round(settings.timeoutMs / 1000)),
    urls: {
      deposit: rowFrom(urls.deposit),
      pendingDeposit: rowFrom(urls.pendingDeposit),
      failedDeposit: rowFrom(urls.failedDeposit),
      payout: rowFrom(urls.payout),
      pendingPayout: rowFrom(urls.pendingPayout),
      failedPayout: rowFrom(urls.failedPayout),
    },
  };
}

function rowFrom(saved: { url: string | null; enabled: boolean }): { url: string; enabled: boolean } {
  return { url: saved.url ?? '', enabled: saved.url !== null && saved.enabled };
}

/** The timeout in ms, or null unless it is a whole number of seconds within the server's limits. */
export function timeoutMsOf(draft: CallbackDraft): number | null {
  const text = draft.timeoutSeconds.trim();
  if (!/^\d+$/.test(text)) return null;
  const seconds = Number(text);
  return seconds >= MIN_TIMEOUT_SECONDS && seconds <= MAX_TIMEOUT_SECONDS ? seconds * 1000 : null;
}

/**
 * The whole form as a PUT body: every kind is sent, so what is saved is exactly what is shown.
 * An empty URL removes it. Requires a valid timeout (see `timeoutMsOf`).
 */
export function inputFrom(draft: CallbackDraft, timeoutMs: number): CallbackSettingsInput {
  const urls: CallbackSettingsInput['urls'] = Object.fromEntries(
    CALLBACK_KINDS.map(({ kind }) => {
      const row = draft.urls[kind];
      const url = row.url.trim();
      return [kind, url === '' ? { url: null } : { url, enabled: row.enabled }];
    }),
  );
  return { timeoutMs, urls };
}

/** Whether saving would change anything. The server may still normalise a URL (e.g. add a trailing slash). */
export function draftDiffers(draft: CallbackDraft, saved: CallbackSettings): boolean {
  const original = draftFrom(saved);
  if (draft.timeoutSeconds.trim() !== original.timeoutSeconds) return true;
  return CALLBACK_KINDS.some(({ kind }) => {
    const a = draft.urls[kind];
    const b = original.urls[kind];
    const url = a.url.trim();
    // Without a URL the switch means nothing: nothing is sent either way.
    return url !== b.url || (url !== '' && a.enabled !== b.enabled);
  });
}
