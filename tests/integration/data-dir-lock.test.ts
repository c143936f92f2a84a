import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import { TEST_DATABASE_URL } from '../support/environment.js';
import { freePort, PaygateProcess } from '../support/process.js';

const LOCK = 'paygate.lock';
/** A first start creates and migrates the embedded database: slow on a busy machine. */
const STARTUP_MS = 120_000;

function tempDataDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'paygate-lock-')));
}

/** The pid of a process that has already exited: a lock naming it is stale. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise((resolve) => child.once('exit', resolve));
  if (pid === undefined) throw new Error('could not spawn a short-lived process');
  return pid;
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('one paygate per embedded data directory', () => {
  it('a second start (or migrate) on the same data directory exits 1 at once, naming the holder; the first keeps serving', { timeout: 240_000 }, async () => {
    const dataDir = tempDataDir();
    const first = new PaygateProcess(await freePort(), { DATA_DIR: dataDir });
    try {
      await first.ready(STARTUP_MS);
      expect(readFileSync(join(dataDir, LOCK), 'utf8').trim()).toBe(String(first.child.pid));

      const secondPort = await freePort();
      const second = new PaygateProcess(secondPort, { DATA_DIR: dataDir });
      expect(await second.exited).toBe(1);
      expect(second.output).toContain(`paygate: data directory ${dataDir} in use by pid ${first.child.pid}`);
      // It stopped before touching anything: no stack trace, no database, no port.
      expect(second.output).not.toMatch(/\n\s+at /);
      expect(second.output).not.toMatch(/database (migrated|schema is current)/);
      await expect(fetch(`http://127.0.0.1:${secondPort}/healthz`)).rejects.toThrow();

      const migrate = new PaygateProcess(await freePort(), { DATA_DIR: dataDir }, ['migrate']);
      expect(await migrate.exited).toBe(1);
      expect(migrate.output).toContain(`data directory ${dataDir} in use by pid ${first.child.pid}`);

      expect(await (await fetch(`${first.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(existsSync(join(dataDir, LOCK))).toBe(false);
    } finally {
      await first.stop('SIGKILL');
    }
  });

  it('takes over a stale lock: one left by a process that is gone, or by one killed with SIGKILL', { timeout: 240_000 }, async () => {
    const dataDir = tempDataDir();
    const stalePid = await deadPid();
    writeFileSync(join(dataDir, LOCK), `${stalePid}\n`);
    const port = await freePort();
    const first = new PaygateProcess(port, { DATA_DIR: dataDir });
    try {
      await first.ready(STARTUP_MS);
      expect(readFileSync(join(dataDir, LOCK), 'utf8').trim()).toBe(String(first.child.pid));
      // kill -9 gives no chance to clean up: the lock stays, naming a dead process.
      expect(await first.stop('SIGKILL')).toBeNull();
      expect(readFileSync(join(dataDir, LOCK), 'utf8').trim()).toBe(String(first.child.pid));
    } finally {
      await first.stop('SIGKILL');
    }
    const again = new PaygateProcess(port, { DATA_DIR: dataDir });
    try {
      await again.ready(STARTUP_MS);
      expect(readFileSync(join(dataDir, LOCK), 'utf8').trim()).toBe(String(again.child.pid));
      expect(await again.stop('SIGINT')).toBe(0);
      expect(existsSync(join(dataDir, LOCK))).toBe(false);
    } finally {
      await again.stop('SIGKILL');
    }
  });

  it('a port already in use: exits 1 at once with a clear message, and releases the data directory', { timeout: 240_000 }, async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const blocked = new PaygateProcess(port, { DATA_DIR: dataDir });
      expect(await blocked.exited).toBe(1);
      expect(blocked.output).toContain(`paygate: port ${port} on 127.0.0.1 is already in use`);
      expect(blocked.output).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dataDir, LOCK))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // The database was closed properly: the next start on the same directory comes up.
    const next = new PaygateProcess(port, { DATA_DIR: dataDir });
    try {
      await next.ready(STARTUP_MS);
      expect(await (await fetch(`${next.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
      expect(await next.stop('SIGTERM')).toBe(0);
    } finally {
      await next.stop('SIGKILL');
    }
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)('no data directory lock on PostgreSQL', () => {
  it('several processes with one DATA_DIR share a PostgreSQL database; none creates a lock', { timeout: 240_000 }, async () => {
    const created = await createPostgresDatabase();
    const dataDir = tempDataDir();
    const env = { DATABASE_URL: created.url, PAYGATE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'), PAYGATE_ROLE: 'api', DATA_DIR: dataDir };
    const processes = [new PaygateProcess(await freePort(), env), new PaygateProcess(await freePort(), env)];
    try {
      await Promise.all(processes.map((p) => p.ready(STARTUP_MS)));
      expect(existsSync(join(dataDir, LOCK))).toBe(false);
      for (const p of processes) expect(await p.stop('SIGTERM')).toBe(0);
    } finally {
      for (const p of processes) await p.stop('SIGKILL');
      await created.drop();
    }
  });
});
