import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/database.js';
import { loadMigrations, MigrationChecksumError, migrate } from '../../apps/server/src/db/migrate.js';
import { createPostgresDatabase, createTestDatabase, describeEachDatabase } from '../support/databases.js';

describeEachDatabase('migrations', (kind) => {
  it('apply once; a second run is a no-op', async () => {
    const t = await createTestDatabase(kind, { migrate: false });
    try {
      const first = await migrate(t.database.db);
      expect(first.map((m) => m.version)).toEqual(loadMigrations().map((m) => m.version));
      expect(await migrate(t.database.db)).toEqual([]);
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(
        t.database.db,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['bps', 'users', 'memberships', 'sessions', 'audit_log', 'notifications', 'schema_migrations']),
      );
    } finally {
      await t.destroy();
    }
  });

  it('refuse to run when an applied migration was edited, and roll back a failing one whole', async () => {
    const t = await createTestDatabase(kind, { migrate: false });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'paygate-mig-'));
      writeFileSync(join(dir, '0001_one.sql'), 'create table one (id int);');
      await migrate(t.database.db, loadMigrations(dir));
      writeFileSync(join(dir, '0001_one.sql'), 'create table one (id bigint);');
      await expect(migrate(t.database.db, loadMigrations(dir))).rejects.toBeInstanceOf(MigrationChecksumError);
      writeFileSync(join(dir, '0001_one.sql'), 'create table one (id int);');
      writeFileSync(join(dir, '0002_two.sql'), 'create table two (id int); insert into missing_table values (1);');
      await expect(migrate(t.database.db, loadMigrations(dir))).rejects.toThrow(/missing_table/);
      const two = await sql<{ n: string }>`select count(*) as n from information_schema.tables where table_name = 'two'`.execute(t.database.db);
      expect(two.rows[0]?.n).toBe('0');
      const versions = await t.database.db.selectFrom('schema_migrations').select('version').execute();
      expect(versions.map((v) => v.version)).toEqual([1]);
    } finally {
      await t.destroy();
    }
  });

  if (kind === 'postgres') {
    it('several processes migrating at once apply each migration exactly once', async () => {
      const created = await createPostgresDatabase();
      const handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ kind: 'postgres', url: created.url, poolSize: 2 })));
      try {
        const results = await Promise.all(handles.map((h) => migrate(h.db)));
        const appliedCounts = results.map((r) => r.length).sort();
        expect(appliedCounts).toEqual([0, 0, 0, loadMigrations().length]);
        const rows = await handles[0]?.db.selectFrom('schema_migrations').select('version').execute();
        expect(rows?.length).toBe(loadMigrations().length);
      } finally {
        await Promise.all(handles.map((h) => h.close()));
        await created.drop();
      }
    });
  }
});
