import type { AllowlistEntry } from './ip-allowlist-api';

/** A row of the list being edited; `saved` is the server's copy, null until the list is saved. */
export interface DraftEntry {
  readonly cidr: string;
  readonly label: string;
  readonly saved: AllowlistEntry | null;
}

export function draftFrom(entries: readonly AllowlistEntry[]): DraftEntry[] {
  return entries.map((entry) => ({ cidr: entry.cidr, label: entry.label, saved: entry }));
}

/** Whether saving `draft` would change anything on the server (the server keeps its own order). */
export function draftDiffers(draft: readonly DraftEntry[], saved: readonly AllowlistEntry[]): boolean {
  const signature = (entries: readonly { cidr: string; label: string }[]) =>
    entries
      .map((e) => `${e.cidr}\n${e.label}`)
      .sort()
      .join('\n\n');
  return signature(draft) !== signature(saved);
}

/** The server stores a single address as /32 (IPv4) or /128 (IPv6); compare the way it will. */
export function sameRange(a: string, b: string): boolean {
  const bare = (value: string) => {
    const text = value.trim().toLowerCase();
    return text.replace(text.includes(':') ? /\/128$/ : /\/32$/, '');
  };
  return bare(a) === bare(b);
}
