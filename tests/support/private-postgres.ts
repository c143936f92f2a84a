import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/**
 * The bin directory of the installed PostgreSQL server (the one holding `initdb`), or undefined.
 * `pg_config --bindir` may belong to a client-only install (Debian ships pg_config with libpq-dev),
 * hence the fallback to the highest /usr/lib/postgresql/<version>/bin.
 */
export function findPostgresBinDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dir !== '' && existsSync(join(dir, 'initdb'))) return dir;
  } catch (_error: unknown) {
    // no pg_config on PATH: try the Debian/Ubuntu layout below
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const best = versions[0];
  return best === undefined ? undefined : join(root, best, 'bin');
}

export const POSTGRES_BIN_DIR = findPostgresBinDir();

const RUNNING_AS_ROOT = process.getuid?.() === 0;

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { cwd, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve({ stdout, stderr });
        return;
      }
      reject(new Error(`\`${[file, ...args].join(' ')}\` failed: ${error.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`, { cause: error }));
    });
  });
}

/**
 * A throw-away PostgreSQL server of the test's own (own data directory, port and socket
 * directory), for tests that must stop and start the server — which the shared one, used by
 * tests running in parallel, must never be.
 *
 * initdb and postgres refuse to run as root, so as root (CI, containers) every server binary runs
 * as the `postgres` OS user via runuser, in a temp directory handed over to that user.
 *
 * @example
 * const pg = await PrivatePostgres.create();
 * await pg.start();
 * // … connect to pg.url …
 * await pg.destroy();
 */
export class PrivatePostgres {
  #running = false;
  readonly #onExit = () => this.#killSync(false);

  private constructor(
    readonly binDir: string,
    /** The temp directory holding everything: data directory, server log, Unix socket. */
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Make a temp directory, initdb a cluster in it and pick a free port (the server is not started). */
  static async create(binDir: string | undefined = POSTGRES_BIN_DIR): Promise<PrivatePostgres> {
    if (binDir === undefined) throw new Error('No PostgreSQL server binaries (initdb) found via `pg_config --bindir` or /usr/lib/postgresql/*/bin');
    const dir = await mkdtemp(join(tmpdir(), 'paygate-pg-'));
    const instance = new PrivatePostgres(binDir, dir, await freePort());
    try {
      if (RUNNING_AS_ROOT) await run('chown', ['-R', 'postgres:postgres', dir], dir, 10_000);
      // --no-sync: a throw-away cluster need not survive a power cut; the restart under test is a clean one.
      await instance.#pg('initdb', ['-D', instance.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--no-locale'], 60_000);
    } catch (error: unknown) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return instance;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get logFile(): string {
    return join(this.dir, 'postgres.log');
  }

  /** Superuser URL of the `postgres` database over TCP (trust authentication). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The server log so far (empty if none was written yet). */
  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch (_error: unknown) {
      return '';
    }
  }

  /** Start the server and wait until it accepts connections (same data directory and port every time). */
  async start(): Promise<void> {
    // The socket lives in the temp dir: /var/run/postgresql may not exist or belong to the shared server.
    const serverOptions = `-k ${this.dir} -p ${this.port} -c listen_addresses=127.0.0.1`;
    await this.#withLog(() => this.#pg('pg_ctl', ['-w', '-t', '30', '-D', this.dataDir, '-l', this.logFile, '-o', serverOptions, 'start'], 60_000));
    this.#running = true;
    // A test process that dies (timeout, crash) must not leave a postmaster behind.
    process.once('exit', this.#onExit);
  }

  /**
   * Stop the server and wait until it is gone. `fast` (the default) disconnects every client and
   * shuts down cleanly, as an operator's restart does; `immediate` aborts (crash recovery on start).
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.#withLog(() => this.#pg('pg_ctl', ['-w', '-t', '30', '-D', this.dataDir, '-m', mode, 'stop'], 60_000));
    this.#running = false;
    process.removeListener('exit', this.#onExit);
  }

  /** Stop (fast) and start again on the same data directory and port. */
  async restart(): Promise<void> {
    await this.stop('fast');
    await this.start();
  }

  /** Stop the server if it runs and delete the temp directory. Never throws for a server already gone. */
  async destroy(): Promise<void> {
    // The pid file also covers a start that timed out while the server was still coming up.
    if (this.#running || existsSync(join(this.dataDir, 'postmaster.pid'))) {
      try {
        await this.stop('immediate');
      } catch (_error: unknown) {
        this.#killSync(true);
      }
    }
    process.removeListener('exit', this.#onExit);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Run a server binary, as the postgres user when we are root. */
  #pg(binary: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
    const path = join(this.binDir, binary);
    // cwd = the temp dir: the postgres user may not be allowed into the test's working directory.
    return RUNNING_AS_ROOT ? run('runuser', ['-u', 'postgres', '--', path, ...args], this.dir, timeoutMs) : run(path, args, this.dir, timeoutMs);
  }

  async #withLog<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n--- ${this.logFile} ---\n${this.log().slice(-8_000)}`, { cause: error });
    }
  }

  /** Last resort at process exit: only synchronous work is possible there. */
  #killSync(force: boolean): void {
    if (!this.#running && !force) return;
    const path = join(this.binDir, 'pg_ctl');
    const args = ['-D', this.dataDir, '-m', 'immediate', 'stop'];
    try {
      if (RUNNING_AS_ROOT) execFileSync('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: this.dir, stdio: 'ignore', timeout: 15_000 });
      else execFileSync(path, args, { cwd: this.dir, stdio: 'ignore', timeout: 15_000 });
    } catch (_error: unknown) {
      // the server is already gone
    }
    this.#running = false;
  }
}
