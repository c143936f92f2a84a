#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { lockEmbeddedDatabase } from './db/data-dir-lock.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './lib/logger.js';
import { StartupError } from './lib/startup-error.js';
import { createHotWallet } from './modules/chains/ethereum/hot-wallet-command.js';
import { startRuntime, VERSION } from './runtime.js';
import { runSweep } from './sweep/command.js';

const USAGE = `paygate ${VERSION}

Usage:
  paygate start [--role all|api|worker]   run Paygate (default role: all = API + worker + dashboard)
  paygate migrate                         apply pending database migrations and exit
  paygate hot-wallet create --network ETH|SEP --out FILE [--passphrase-file FILE]
                                          make an encrypted hot wallet keystore (passphrase from
                                          the file or stdin); prints only its address
  paygate sweep --network ETH|SEP --to ADDRESS [--key-file FILE] [--dry-run]
                                          move ETH and USDT from every deposit address to ADDRESS;
                                          the account key (mnemonic or xprv) is read from the file
                                          or stdin, checked against the xpub, never stored
  paygate --help | --version

Configuration comes from the environment; see the README's configuration table.
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      network: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'key-file': { type: 'string' },
      'passphrase-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  if (values.help === true || values.version === true) {
    process.stdout.write(values.help === true ? USAGE : `${VERSION}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'start';
  const io = { stdin: process.stdin, out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
  if (command === 'hot-wallet') {
    if (positionals[1] !== 'create') {
      process.stderr.write(`Unknown hot-wallet command "${positionals[1] ?? ''}".\n\n${USAGE}`);
      return 64;
    }
    return createHotWallet({ network: values.network, out: values.out, passphraseFile: values['passphrase-file'] }, io);
  }
  const env = { ...process.env, ...(values.role !== undefined ? { PAYGATE_ROLE: values.role } : {}) };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);

  if (command === 'migrate') {
    // Migrating an embedded database that a running paygate holds would corrupt it.
    const lock = lockEmbeddedDatabase(config.database);
    const database = await openDatabase(config.database).catch((error: unknown) => {
      lock?.release();
      throw error;
    });
    try {
      const applied = await migrate(database.db);
      logger.info(
        { database: database.kind, applied: applied.map((m) => `${m.version}_${m.name}`) },
        applied.length > 0 ? 'migrations applied' : 'nothing to migrate',
      );
    } finally {
      await database.close();
      lock?.release();
    }
    return 0;
  }
  if (command === 'sweep') {
    return runSweep(config, { network: values.network, to: values.to, keyFile: values['key-file'], dryRun: values['dry-run'] === true }, io);
  }
  if (command !== 'start') {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
    return 64;
  }

  const runtime = await startRuntime(config, logger);
  logger.info({ role: config.role, database: runtime.database.kind, port: config.port }, 'paygate started');
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: no new requests; finishing in-flight work');
      const force = setTimeout(() => {
        logger.error({ timeoutSeconds: config.shutdownTimeoutSeconds }, 'graceful shutdown timed out; exiting');
        process.exit(1);
      }, config.shutdownTimeoutSeconds * 1000);
      force.unref();
      runtime.close().then(
        () => resolve(),
        (error: unknown) => {
          logger.error({ err: error }, 'error during shutdown');
          resolve();
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
  logger.info('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof StartupError) process.stderr.write(`paygate: ${error.message}\n`);
    else process.stderr.write(`paygate failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    // Exit now: start-up closed what it had opened, and nothing left behind may keep the process
    // alive (holding a port or the embedded database) after it has failed.
    process.exit(1);
  },
);
