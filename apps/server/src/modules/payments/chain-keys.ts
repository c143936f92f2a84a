import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { deriveAddress, generateSandboxAccountKeys, parseAccountXpub } from './chain/index.js';
import type { Chain } from './currencies.js';

/**
 * The account-level extended public keys addresses are derived from (BIP44 m/44'/60'/0' and
 * m/44'/195'/0', external chain), and the next free index per chain. Configured xpubs win;
 * without them the sandbox generates its own on first start (the seed is discarded: the sandbox
 * only receives). Only public keys are ever stored.
 */
export class ChainKeyStore {
  constructor(private readonly db: Kysely<DB>) {}

  async ensure(configured: Partial<Record<Chain, string>>): Promise<void> {
    const existing = await this.db.selectFrom('chain_keys').select(['chain', 'xpub']).execute();
    const generated = existing.length < 2 ? generateSandboxAccountKeys() : undefined;
    for (const chain of ['ethereum', 'tron'] as const) {
      const wanted = configured[chain];
      const row = existing.find((r) => r.chain === chain);
      if (wanted !== undefined) {
        const xpub = parseAccountXpub(wanted);
        if (row === undefined) await this.db.insertInto('chain_keys').values({ chain, xpub, source: 'configured' }).execute();
        else if (row.xpub !== xpub)
          throw new Error(`The configured ${chain} xpub differs from the one addresses were already derived from; changing it would orphan issued addresses.`);
      } else if (row === undefined && generated !== undefined) {
        await this.db
          .insertInto('chain_keys')
          .values({ chain, xpub: generated[chain], source: 'sandbox' })
          .onConflict((oc) => oc.column('chain').doNothing())
          .execute();
      }
    }
  }

  /** Reserve the next derivation index of a chain (row lock: concurrent callers get distinct indexes). */
  async nextIndex(trx: Kysely<DB>, chain: Chain): Promise<{ index: number; xpub: string }> {
    const row = await trx
      .updateTable('chain_keys')
      .set((eb) => ({ next_index: eb('next_index', '+', 1) }))
      .where('chain', '=', chain)
      .returning(['next_index', 'xpub'])
      .executeTakeFirst();
    if (!row) throw new Error(`No ${chain} key material; the worker or API start creates it`);
    return { index: row.next_index - 1, xpub: row.xpub };
  }

  derive(chain: Chain, xpub: string, index: number): string {
    return deriveAddress(chain, xpub, index);
  }
}
