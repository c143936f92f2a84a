import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { type Database, type DatabaseTarget, openDatabase } from '../../apps/server/src/db/database.js';
import { migrate } from '../../apps/server/src/db/migrate.js';
import { TEST_DATABASE_URL } from './environment.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** A migrated, empty database of its own, and how to throw it away. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly database: Database;
  /** For tests that start their own processes against the same database. */
  readonly url: string | undefined;
  destroy(): Promise<void>;
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Create a fresh PostgreSQL database on the TEST_DATABASE_URL server (dropped by destroy). */
export async function createPostgresDatabase(adminUrl: string | undefined = TEST_DATABASE_URL): Promise<{ url: string; drop(): Promise<void> }> {
  if (adminUrl === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const name = `paygate_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabaseName(adminUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Open a new, migrated database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let target: DatabaseTarget;
  let drop: () => Promise<void> = async () => undefined;
  let url: string | undefined;
  if (kind === 'postgres') {
    const created = await createPostgresDatabase();
    url = created.url;
    drop = created.drop;
    target = { kind: 'postgres', url, poolSize: 10 };
  } else {
    target = { kind: 'pglite', dataDir: 'memory://' };
  }
  const database = await openDatabase(target);
  if (options.migrate !== false) await migrate(database.db);
  return {
    kind,
    database,
    url,
    destroy: async () => {
      await database.close();
      await drop();
    },
  };
}

/** The database kinds this run covers: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DATABASE_KINDS: readonly DatabaseKind[] = TEST_DATABASE_URL === undefined ? ['pglite'] : ['pglite', 'postgres'];

/**
 * Run a suite once per database kind. When PostgreSQL is not configured its leg is declared
 * skipped (visible in the report) rather than silently absent.
 *
 * @example describeEachDatabase('accounts', (kind) => { ... createTestServer(kind) ... });
 */
export function describeEachDatabase(title: string, suite: (kind: DatabaseKind) => void): void {
  describe(`${title} [pglite]`, () => suite('pglite'));
  if (TEST_DATABASE_URL === undefined) describe.skip(`${title} [postgres] (set TEST_DATABASE_URL)`, () => suite('postgres'));
  else describe(`${title} [postgres]`, () => suite('postgres'));
}
