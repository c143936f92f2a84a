import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool.js';
import type { DB } from './schema.js';

export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number }
  | { readonly kind: 'pglite'; readonly dataDir: string };

export type NotificationHandler = (payload: string) => void;

/** One handle over either driver; everything above it speaks Kysely and PostgreSQL SQL only. */
export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly db: Kysely<DB>;
  /**
   * A small pool whose commits do not wait for the WAL flush (`synchronous_commit = off`): a
   * commit returns in microseconds instead of an fsync. Only for rows whose loss in a PostgreSQL
   * crash (at most the last ~0.6 s of them, never corrupted) is tolerable by design — the request
   * nonces. Everything about money or state uses `db`. On PGlite it is `db`.
   */
  readonly relaxedDb: Kysely<DB>;
  /** Resolves when a trivial query succeeds; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  /**
   * LISTEN on a channel. `onGap` runs whenever notifications may have been missed (the listening
   * connection was lost and re-established), so caches can drop everything they hold.
   */
  listen(channel: string, handler: NotificationHandler, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Send a notification inside the caller's transaction: listeners see it only if it commits. */
export async function notifyInTransaction(executor: Kysely<DB>, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(executor);
}

const INT8_OID = 20;
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A dedicated node-postgres connection for LISTEN (a pooled connection cannot hold a LISTEN).
 * Reconnects with backoff when the server goes away, re-LISTENs, and reports the gap.
 */
class PgListener {
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #closed = false;
  readonly #handlers = new Map<string, Set<{ handler: NotificationHandler; onGap: (() => void) | undefined }>>();

  constructor(private readonly url: string) {}

  async #connect(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: 'paygate-listener' });
      client.on('notification', (message) => {
        for (const entry of this.#handlers.get(message.channel) ?? []) entry.handler(message.payload ?? '');
      });
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      await client.connect();
      for (const channel of this.#handlers.keys()) await client.query(`LISTEN ${channel}`);
      this.#client = client;
      return client;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    if (this.#closed) return;
    const retry = (delay: number) => {
      const timer = setTimeout(() => {
        if (this.#closed) return;
        this.#connect().then(
          () => {
            for (const entries of this.#handlers.values()) for (const e of entries) e.onGap?.();
          },
          () => retry(Math.min(delay * 2, 5_000)),
        );
      }, delay);
      timer.unref();
    };
    // Until reconnected, notifications are lost: tell subscribers now, and again once back.
    for (const entries of this.#handlers.values()) for (const e of entries) e.onGap?.();
    retry(100);
  }

  async listen(channel: string, handler: NotificationHandler, onGap?: () => void): Promise<() => Promise<void>> {
    const entry = { handler, onGap };
    let set = this.#handlers.get(channel);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(channel, set);
    }
    set.add(entry);
    const client = await this.#connect();
    if (first) await client.query(`LISTEN ${channel}`);
    return async () => {
      set.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * A connection losing its server (restart, failover) must not crash the process. The pool's own
 * 'error' listener covers idle clients only: pg-pool removes it while a client is checked out, so
 * a connection dropped mid-query would emit 'error' with no listener — which Node turns into an
 * exit. Every client gets a permanent listener; the query in flight still fails (and becomes a 503
 * or a retry), and the pool discards the dead client on release and reconnects on the next checkout.
 */
function survivesServerLoss(pool: pg.Pool): void {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
}

/**
 * Open the database described by `target`.
 *
 * @example
 * const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
 * await database.db.selectFrom('bps').selectAll().execute();
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'paygate',
    });
    survivesServerLoss(pool);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const listener = new PgListener(target.url);
    const relaxedPool = new pg.Pool({
      connectionString: target.url,
      max: Math.max(2, Math.ceil(target.poolSize / 4)),
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'paygate-relaxed',
      options: '-c synchronous_commit=off',
    });
    survivesServerLoss(relaxedPool);
    const relaxedDb = new Kysely<DB>({ dialect: new PostgresDialect({ pool: relaxedPool }) });
    return {
      kind: 'postgres',
      db,
      relaxedDb,
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      listen: (channel, handler, onGap) => {
        if (!CHANNEL.test(channel)) throw new Error(`Invalid channel name ${channel}`);
        return listener.listen(channel, handler, onGap);
      },
      close: async () => {
        await listener.close();
        await relaxedDb.destroy();
        await db.destroy();
      },
    };
  }

  const dataDir = target.dataDir;
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // int8 as text, as node-postgres does, so both drivers hand the same types to the code above.
  const pglite = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (value: string) => value } });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }) });
  return {
    kind: 'pglite',
    db,
    relaxedDb: db,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    // In-process: PGlite delivers NOTIFY from its own connection, and there is no connection to lose.
    listen: async (channel, handler) => {
      if (!CHANNEL.test(channel)) throw new Error(`Invalid channel name ${channel}`);
      const unsubscribe = await pglite.listen(channel, handler);
      return async () => {
        await unsubscribe();
      };
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
