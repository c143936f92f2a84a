import type { ApiSecretsService } from './api-secrets.js';

interface Entry {
  readonly loadedAt: number;
  readonly secrets: Promise<readonly string[]>;
}

/**
 * The delivery worker's view of each BP's active API secrets: read for a whole claim in one
 * query, and re-read for a BP when its entry is older than `maxAgeMs` at signing time — so a
 * callback that waited for a slot is still signed with the secrets of the moment it is sent, and
 * a rotation applies to every callback sent more than `maxAgeMs` after it.
 *
 * @example
 * const secrets = new SigningSecrets(apiSecrets, 1_000);
 * await secrets.load(claimed.map((d) => d.bp_id));
 * const forBp = await secrets.get(bpId); // [] when the BP has no readable secret
 */
export class SigningSecrets {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly source: Pick<ApiSecretsService, 'activeSecretsOf'>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Read every BP in `bpIds` whose entry is missing or stale, in one query. Rejects if the database does. */
  async load(bpIds: readonly string[]): Promise<void> {
    const now = this.now();
    this.#prune(now);
    const stale = [...new Set(bpIds)].filter((id) => !this.#fresh(this.#entries.get(id), now));
    if (stale.length === 0) return;
    const reading = this.source.activeSecretsOf(stale);
    for (const id of stale) {
      const secrets = reading.then((all) => all.get(id) ?? []);
      // Its failure is reported by `await reading` below; an entry nobody asks for must not
      // become an unhandled rejection (which would end the process).
      secrets.catch(() => undefined);
      this.#entries.set(id, { loadedAt: now, secrets });
    }
    try {
      await reading;
    } catch (error: unknown) {
      for (const id of stale) this.#entries.delete(id);
      throw error;
    }
  }

  /** The BP's secrets, re-read first if stale. Rejects if the database does. */
  async get(bpId: string): Promise<readonly string[]> {
    const entry = this.#entries.get(bpId);
    if (this.#fresh(entry, this.now()) && entry !== undefined) return entry.secrets;
    await this.load([bpId]);
    return this.#entries.get(bpId)?.secrets ?? [];
  }

  #fresh(entry: Entry | undefined, now: number): boolean {
    return entry !== undefined && now - entry.loadedAt <= this.maxAgeMs;
  }

  /** Forget BPs not signed for in a while, so the map holds only BPs with recent callbacks. */
  #prune(now: number): void {
    if (this.#entries.size < 1_000) return;
    for (const [id, entry] of this.#entries) if (now - entry.loadedAt > 60 * this.maxAgeMs) this.#entries.delete(id);
  }
}
