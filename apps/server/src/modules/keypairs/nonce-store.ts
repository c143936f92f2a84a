import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export type NonceOutcome = 'accepted' | 'reused' | 'key_revoked';

/**
 * Remembers the nonces of accepted signed requests in PostgreSQL, shared by all API processes.
 * It writes through the database's relaxed pool (asynchronous commit): waiting for an fsync per
 * request would cap throughput at (concurrency / fsync latency), and the only loss a PostgreSQL
 * crash can cause is forgetting the nonces of the last fraction of a second, which could let a
 * captured request from that instant be replayed within its window. Money-moving routes are
 * idempotent by their own keys, so such a replay cannot act twice (docs/request-signing.md).
 *
 * The insert is conditional on the key still being active, in the same statement: a request
 * signed with a key revoked a moment ago on another instance is refused here even if that
 * instance's cache has not heard of the revocation yet. Concurrent requests are coalesced into
 * one multi-row INSERT (a "group commit"), which keeps the per-request cost to a fraction of a
 * round trip under load.
 */
export class NonceStore {
  #pending: { keyId: string; nonce: string; expiresAt: Date; resolve: (o: NonceOutcome) => void; reject: (e: unknown) => void }[] = [];
  #flushing = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 256,
  ) {}

  consume(keyId: string, nonce: string, expiresAt: Date): Promise<NonceOutcome> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ keyId, nonce, expiresAt, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.maxBatch);
        try {
          const outcomes = await this.#insert(batch);
          for (const [i, entry] of batch.entries()) entry.resolve(outcomes[i] ?? 'reused');
        } catch (error: unknown) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #insert(batch: readonly { keyId: string; nonce: string; expiresAt: Date }[]): Promise<NonceOutcome[]> {
    // Two requests of one batch may carry the same nonce: only the first may win.
    const seen = new Set<string>();
    const unique = batch.filter((e) => {
      const id = `${e.keyId}\u0000${e.nonce}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    // Three array parameters whatever the batch size: no per-row SQL to build or parse.
    const inserted = await sql<{ key_id: string; nonce: string }>`
      insert into request_nonces (key_id, nonce, expires_at)
      select v.key_id, v.nonce, v.expires_at
      from unnest(${unique.map((e) => e.keyId)}::text[], ${unique.map((e) => e.nonce)}::text[], ${unique.map((e) => e.expiresAt.toISOString())}::timestamptz[]) as v (key_id, nonce, expires_at)
      join keypairs k on k.id = v.key_id and k.revoked_at is null
      on conflict (key_id, nonce) do nothing
      returning key_id, nonce`.execute(this.db);
    const won = new Set(inserted.rows.map((r) => `${r.key_id}\u0000${r.nonce}`));
    const lostKeys = [...new Set(batch.filter((e) => !won.has(`${e.keyId}\u0000${e.nonce}`)).map((e) => e.keyId))];
    // Rare path: tell "replayed" from "key revoked meanwhile".
    const revoked = new Set<string>();
    if (lostKeys.length > 0) {
      const rows = await this.db.selectFrom('keypairs').select('id').where('id', 'in', lostKeys).where('revoked_at', 'is not', null).execute();
      for (const r of rows) revoked.add(r.id);
    }
    const claimed = new Set<string>();
    return batch.map((e) => {
      const id = `${e.keyId}\u0000${e.nonce}`;
      if (won.has(id) && !claimed.has(id)) {
        claimed.add(id);
        return 'accepted';
      }
      return revoked.has(e.keyId) ? 'key_revoked' : 'reused';
    });
  }

  /** Forget nonces whose signatures can no longer be accepted anyway. */
  async prune(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('request_nonces').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
