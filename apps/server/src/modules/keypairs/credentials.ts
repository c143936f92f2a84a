import type { KeyObject, webcrypto } from 'node:crypto';
import { importVerifyKey } from '@paygate/protocol';
import type { Kysely } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { publicKeyFromPem } from './keys.js';

/** What the signature guard needs to know about a key id. */
export interface Credential {
  readonly keyId: string;
  readonly bpId: string;
  readonly bpName: string;
  readonly environment: 'sandbox' | 'live';
  readonly publicKey: KeyObject;
  /** The same key imported for WebCrypto, which verifies off the event loop. */
  readonly verifyKey: webcrypto.CryptoKey;
  readonly revokedAt: Date | null;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * In-memory cache of credentials by key id, so a signed request does not fetch its public key.
 *
 * Entries are dropped when a change of their BP is announced on {@link CHANNELS.credentials}
 * (NOTIFY sent inside the changing transaction), when the listening connection was lost, and
 * after a TTL as a last resort. Revocation does not depend on this cache: consuming the nonce
 * re-checks in the same SQL statement that the key is still active (see NonceStore).
 */
export class CredentialCache {
  readonly #entries = new Map<string, { credential: Credential | null; loadedAt: number }>();

  constructor(private readonly db: Kysely<DB>) {}

  /** Subscribe to change announcements; returns the unsubscribe function. */
  attach(database: Database): Promise<() => Promise<void>> {
    return database.listen(
      CHANNELS.credentials,
      (bpId) => this.invalidateBp(bpId),
      () => this.#entries.clear(),
    );
  }

  async get(keyId: string): Promise<Credential | null> {
    const cached = this.#entries.get(keyId);
    if (cached !== undefined && Date.now() - cached.loadedAt < TTL_MS) return cached.credential;
    const row = await this.db
      .selectFrom('keypairs as k')
      .innerJoin('bps as b', 'b.id', 'k.bp_id')
      .select(['k.id', 'k.bp_id', 'k.public_key', 'k.revoked_at', 'b.environment', 'b.name'])
      .where('k.id', '=', keyId)
      .executeTakeFirst();
    let credential: Credential | null = null;
    if (row !== undefined) {
      const publicKey = publicKeyFromPem(row.public_key);
      credential = {
        keyId: row.id,
        bpId: row.bp_id,
        bpName: row.name,
        environment: row.environment,
        publicKey,
        verifyKey: await importVerifyKey(publicKey),
        revokedAt: row.revoked_at,
      };
    }
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(keyId, { credential, loadedAt: Date.now() });
    return credential;
  }

  invalidateBp(bpId: string): void {
    for (const [keyId, entry] of this.#entries) {
      if (entry.credential === null || entry.credential.bpId === bpId) this.#entries.delete(keyId);
    }
  }

  invalidateKey(keyId: string): void {
    this.#entries.delete(keyId);
  }
}
