import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];

const COMMANDS: ReadonlySet<string> = new Set(['INSERT', 'UPDATE', 'DELETE', 'SELECT', 'MERGE']);

/** Kysely decides whether to report affected rows from the command; PGlite does not return it, so infer it. */
function commandOf(sql: string): Command {
  const first = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
  return (COMMANDS.has(first) ? first : 'SELECT') as Command;
}

/**
 * Presents one PGlite instance as a Kysely `PostgresPool` of size one.
 *
 * PGlite is a single Postgres backend, so two Kysely transactions must not interleave their
 * statements on it: `connect()` hands out the one connection and queues every other caller
 * until it is released. This is what makes `db.transaction()` correct on the embedded database.
 */
export class PGlitePool implements PostgresPool {
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.#closed) throw new Error('The embedded database is closed');
    let release: () => void = () => undefined;
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    const pglite = this.pglite;
    let released = false;
    const client = {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        // Without parameters use the simple-query protocol, which (like node-postgres) accepts
        // several statements in one string; migrations rely on that.
        const result = parameters.length === 0 ? (await pglite.exec(sql)).at(-1) : await pglite.query<R>(sql, [...parameters]);
        const rows = (result?.rows ?? []) as R[];
        return { command: commandOf(sql), rowCount: result?.affectedRows ?? rows.length, rows };
      },
      release(): void {
        if (released) return;
        released = true;
        release();
      },
    };
    return client as PostgresPoolClient;
  }

  async end(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }
}
