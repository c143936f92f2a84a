import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.js';

/** Where the numbered SQL files live (next to the package, so src and dist share them). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Arbitrary constant naming Paygate's migration lock among all advisory locks on the server. */
const MIGRATION_LOCK_KEY = 7_242_001;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** A migration that was applied earlier has different contents now: migrations are append-only. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(
    readonly version: number,
    readonly migrationName: string,
  ) {
    super(
      `Migration ${String(version).padStart(4, '0')}_${migrationName} was changed after it was applied. ` +
        'Applied migrations are append-only: restore the file and add a new migration instead.',
    );
  }
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/**
 * Apply every pending migration, each in its own transaction, under a session-level advisory
 * lock so that several processes starting at once apply each migration exactly once (the
 * others wait, then find nothing left to do).
 *
 * @returns the migrations applied by this call (empty when the schema was already current).
 */
export async function migrate(db: Kysely<DB>, migrations: readonly Migration[] = loadMigrations()): Promise<Migration[]> {
  // The lock belongs to a database session, so the whole run happens on one pinned connection.
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`
        create table if not exists schema_migrations (
          version    integer primary key,
          name       text not null,
          checksum   text not null,
          applied_at timestamptz not null default now()
        )`.execute(conn);
      const applied = await conn.selectFrom('schema_migrations').selectAll().execute();
      const byVersion = new Map(applied.map((m) => [m.version, m]));
      const done: Migration[] = [];
      for (const migration of migrations) {
        const existing = byVersion.get(migration.version);
        if (existing) {
          if (existing.checksum !== migration.checksum) throw new MigrationChecksumError(migration.version, migration.name);
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(migration.sql).execute(trx);
          await trx.insertInto('schema_migrations').values({ version: migration.version, name: migration.name, checksum: migration.checksum }).execute();
        });
        done.push(migration);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}
