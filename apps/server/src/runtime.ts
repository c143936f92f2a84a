import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { lockEmbeddedDatabase } from './db/data-dir-lock.js';
import { type Database, openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { buildOpsApp } from './http/ops-app.js';
import { type Clock, systemClock } from './lib/clock.js';
import { killingFailpoints } from './lib/failpoints.js';
import { createLogger } from './lib/logger.js';
import { resolveMasterKey } from './lib/master-key.js';
import { SecretBox } from './lib/secret-box.js';
import { StartupError } from './lib/startup-error.js';
import { type CredentialChecks, createCredentialChecks } from './modules/accounts/credentials.js';
import { AccountsService } from './modules/accounts/service.js';
import { LoginThrottle } from './modules/accounts/throttle.js';
import { AuditService } from './modules/audit/service.js';
import { ApiSecretsService } from './modules/callbacks/api-secrets.js';
import { DeliveriesService } from './modules/callbacks/deliveries.js';
import { CallbackDeliveryWorker } from './modules/callbacks/delivery.js';
import { createDeliveryMetrics, registerCallbackQueueMetrics } from './modules/callbacks/metrics.js';
import { CallbackSettingsService } from './modules/callbacks/settings.js';
import { isSimulated } from './modules/chains/networks.js';
import { registerPayoutMetrics } from './modules/chains/payouts/metrics.js';
import { PayoutStore } from './modules/chains/payouts/store.js';
import { startPayoutWorkers } from './modules/chains/payouts/worker.js';
import { scannerStatuses } from './modules/chains/scanner/status.js';
import { ScannerStore } from './modules/chains/scanner/store.js';
import { verifyTronNetworks } from './modules/chains/tron/setup.js';
import { DEFAULT_STATUS_LIMITS, DepositPagesService } from './modules/deposit-pages/service.js';
import { DepositUrlStore } from './modules/deposit-pages/store.js';
import { IpAllowlistService } from './modules/ip-allowlist/service.js';
import { CredentialCache } from './modules/keypairs/credentials.js';
import { NonceStore } from './modules/keypairs/nonce-store.js';
import { KeyPairsService } from './modules/keypairs/service.js';
import { ChainKeyStore } from './modules/payments/chain-keys.js';
import { DepositTransitions } from './modules/payments/deposit-transitions.js';
import { payoutRoutingFrom, simulatedPayouts } from './modules/payments/payout-transitions.js';
import { FixedRateTable, parseRateTable } from './modules/payments/rates.js';
import { SandboxChain } from './modules/payments/sandbox.js';
import { PaymentsService } from './modules/payments/service.js';
import { RequestLogWriter } from './modules/usage/request-log.js';
import { DEFAULT_RETENTION, UsageRollup } from './modules/usage/rollup.js';
import { RequestLogQueries, UsageService } from './modules/usage/service.js';
import { connectChainNodes, startChainScanners } from './worker/chain-scanners.js';
import { startMaintenance } from './worker/maintenance.js';
import { startSandboxChain } from './worker/sandbox-chain.js';
import { startUsageJobs } from './worker/usage-jobs.js';

export const VERSION = '0.1.0';

/** The built dashboard, relative to this file in both src/ (tests) and dist/ (production). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

export interface Services {
  readonly database: Database;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly secrets: SecretBox;
  readonly audit: AuditService;
  readonly accounts: AccountsService;
  readonly keypairs: KeyPairsService;
  readonly credentials: CredentialCache;
  readonly nonces: NonceStore;
  readonly allowlist: IpAllowlistService;
  readonly usage: UsageService;
  readonly requestLogQueries: RequestLogQueries;
  readonly rollup: UsageRollup;
  readonly payments: PaymentsService;
  readonly deposits: DepositTransitions;
  readonly scannerStore: ScannerStore;
  readonly apiSecrets: ApiSecretsService;
  readonly callbackSettings: CallbackSettingsService;
  readonly deliveries: DeliveriesService;
  readonly sandbox: SandboxChain;
  readonly depositPages: DepositPagesService;
  readonly chainKeys: ChainKeyStore;
  /** Hot wallet balance gauges, set by the payout worker. */
  readonly hotWalletBalances: ReturnType<typeof registerPayoutMetrics>;
  /** Undefined when the request log is switched off (PAYGATE_REQUEST_LOG=false). */
  readonly requestLog: RequestLogWriter | undefined;
  /** Stop listening for change notifications. */
  detach(): Promise<void>;
}

export type ServiceConfig = Pick<Config, 'sessionTtlSeconds' | 'reauthWindowSeconds'> &
  Partial<
    Pick<Config, 'requestLog' | 'usageRetention' | 'sandboxRates' | 'chainXpubs' | 'allowHttpCallbacks' | 'allowHttpRedirects' | 'payouts' | 'chains'>
  > & {
    /** Status-poll limits of hosted deposit pages (tests lower them). */
    readonly depositStatusLimits?: typeof DEFAULT_STATUS_LIMITS;
  };

/**
 * Wire services over an open database and subscribe caches to change notifications.
 * Used by `start` and by tests; nothing here is a module-level singleton.
 */
export async function createServices(
  database: Database,
  config: ServiceConfig,
  masterKey: Buffer,
  clock: Clock = systemClock,
  logger: Logger = createLogger('silent'),
  /** Test seams: observe or replace how credentials are evaluated. */
  overrides: { readonly credentialChecks?: CredentialChecks } = {},
): Promise<Services> {
  const metrics = createMetrics();
  registerCallbackQueueMetrics(metrics.registry, database.db, clock);
  const secrets = new SecretBox(masterKey);
  const audit = new AuditService(database.db);
  const accounts = new AccountsService(
    database.db,
    audit,
    new LoginThrottle(database.db),
    secrets,
    clock,
    {
      sessionTtlSeconds: config.sessionTtlSeconds,
      reauthWindowSeconds: config.reauthWindowSeconds,
      invitationTtlSeconds: 7 * 24 * 3600,
    },
    overrides.credentialChecks ?? createCredentialChecks(),
  );
  const credentials = new CredentialCache(database.db);
  const allowlist = new IpAllowlistService(database.db, accounts, audit);
  const unsubscribes = [await credentials.attach(database), await allowlist.attach(database)];
  const apiSecrets = new ApiSecretsService(database.db, secrets, accounts, audit, clock);
  accounts.onBpCreated((trx, bpId, actorLabel) => apiSecrets.create(trx, bpId, actorLabel));
  await apiSecrets.ensureAll();
  const chainKeys = new ChainKeyStore(database.db);
  await chainKeys.ensure(config.chainXpubs ?? {});
  const rates = new FixedRateTable(parseRateTable(config.sandboxRates));
  const deposits = new DepositTransitions(database.db, rates, clock);
  const payments = new PaymentsService(
    database.db,
    chainKeys,
    rates,
    clock,
    audit,
    deposits,
    config.payouts === undefined ? simulatedPayouts : payoutRoutingFrom(config.payouts),
  );
  const hotWalletBalances = registerPayoutMetrics(metrics.registry, new PayoutStore(database.db), clock);
  return {
    database,
    clock,
    metrics,
    secrets,
    audit,
    accounts,
    keypairs: new KeyPairsService(database.db, accounts, audit),
    credentials,
    nonces: new NonceStore(database.relaxedDb),
    allowlist,
    usage: new UsageService(database.db, clock),
    payments,
    deposits,
    scannerStore: new ScannerStore(database.db),
    apiSecrets,
    deliveries: new DeliveriesService(database.db, apiSecrets, audit, clock),
    callbackSettings: new CallbackSettingsService(database.db, accounts, audit, config.allowHttpCallbacks ?? false),
    sandbox: new SandboxChain(database.db, payments, clock, (network) => config.chains === undefined || isSimulated(config.chains, network)),
    depositPages: new DepositPagesService(new DepositUrlStore(database.db, database.relaxedDb), payments, rates, clock, {
      allowHttpRedirects: config.allowHttpRedirects ?? false,
      ...(config.depositStatusLimits ?? DEFAULT_STATUS_LIMITS),
    }),
    chainKeys,
    hotWalletBalances,
    requestLogQueries: new RequestLogQueries(database.db),
    rollup: new UsageRollup(database.db, config.usageRetention ?? DEFAULT_RETENTION),
    requestLog: config.requestLog === false ? undefined : new RequestLogWriter(database.relaxedDb, logger, metrics.registry),
    detach: async () => {
      for (const unsubscribe of unsubscribes) await unsubscribe();
    },
  };
}

export interface Runtime extends Services {
  readonly app: FastifyInstance | undefined;
  /** Stop accepting, let in-flight requests and jobs finish, close the database. */
  close(): Promise<void>;
}

/** The HTTP app over wired services, with the options the configuration gives. */
export function buildAppFromConfig(services: Services, config: Config, logger: Logger): Promise<FastifyInstance> {
  return buildApp({
    logger,
    services,
    options: {
      version: VERSION,
      role: config.role,
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      bodyLimitBytes: config.bodyLimitBytes,
      requestTimeoutMs: config.requestTimeoutSeconds * 1000,
      sessionTtlSeconds: config.sessionTtlSeconds,
      signatureWindowSeconds: config.signatureWindowSeconds,
      callbackSourceIps: config.callbackSourceIps,
      sandboxAutoConfirmSeconds: config.sandboxAutoConfirmSeconds,
      dashboardDir: config.dashboardDir ?? DEFAULT_DASHBOARD_DIR,
    },
  });
}

/** Listen, turning "port taken" into a message the operator can act on. */
async function listenOn(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error: unknown) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new StartupError(`port ${config.port} on ${config.host} is already in use (another paygate, or another program); stop it or set PORT`);
    }
    throw error;
  }
}

/**
 * Open the database, migrate, build services, and start the parts this process's role runs:
 * `api` serves HTTP, `worker` runs background jobs, `all` does both. If start-up fails half-way,
 * everything opened so far is closed again (database, listeners, the data directory lock), so the
 * process can exit at once instead of lingering with the database held.
 */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  // A node of the wrong network refuses the start before anything is opened.
  const workerRole = config.role === 'all' || config.role === 'worker';
  const chainNodes = workerRole ? await connectChainNodes(config.chains, logger) : [];
  if (workerRole) await verifyTronNetworks(config.tron.networks, logger);
  // PostgreSQL is built for many processes; the embedded database belongs to exactly one.
  const lock = lockEmbeddedDatabase(config.database);
  const undo: (() => Promise<unknown>)[] = [];
  try {
    const master = resolveMasterKey(config.masterKey, config.dataDir);
    if (master.origin === 'generated') {
      logger.warn(
        { path: master.path },
        'generated a new master key for secrets at rest; back it up — without it encrypted secrets cannot be read. Set PAYGATE_MASTER_KEY in production.',
      );
    }
    const database = await openDatabase(config.database);
    undo.push(() => database.close());
    const applied = await migrate(database.db);
    logger.info(
      { database: database.kind, applied: applied.map((m) => `${m.version}_${m.name}`) },
      applied.length > 0 ? 'database migrated' : 'database schema is current',
    );
    const services = await createServices(database, config, master.key, systemClock, logger);
    undo.push(() => services.detach());

    if (config.demoSeed) {
      const demo = await services.accounts.seedDemo({ ip: '127.0.0.1', userAgent: 'paygate-seed', requestId: 'seed' });
      if (demo !== null) {
        const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
        // Printed once, on the database's first start, to the operator's terminal (not the JSON log).
        process.stdout.write(
          `\n  Demo account created (development only)\n    open      ${url}\n    e-mail    ${demo.email}\n    password  ${demo.password}\n\n`,
        );
      }
    }

    let app: FastifyInstance;
    if (config.role === 'all' || config.role === 'api') {
      app = await buildAppFromConfig(services, config, logger);
      services.requestLog?.start();
      undo.push(async () => services.requestLog?.stop());
    } else {
      // A worker serves health and metrics only, on the same PORT setting.
      app = await buildOpsApp({
        logger,
        database,
        metrics: services.metrics,
        version: VERSION,
        role: config.role,
        chainStatus: () => scannerStatuses(services.scannerStore, systemClock),
        requestTimeoutMs: config.requestTimeoutSeconds * 1000,
      });
    }
    undo.push(() => app.close());
    await listenOn(app, config);

    const maintenance = workerRole ? startMaintenance(services, logger) : undefined;
    const usageJobs = workerRole ? startUsageJobs(services, logger) : undefined;
    undo.push(async () => {
      await maintenance?.stop();
      await usageJobs?.stop();
    });
    const delivery = workerRole
      ? new CallbackDeliveryWorker(database, services.apiSecrets, services.audit, systemClock, logger, {
          retryScheduleMs: config.callbackRetryScheduleMs,
          batchSize: config.callbackBatchSize,
          maxInFlight: config.callbackMaxInFlight,
          metrics: createDeliveryMetrics(services.metrics.registry),
          requestsPerUrl: config.callbackRequestsPerUrl,
          pollIntervalMs: 1_000,
          localAddress: config.callbackSourceIps[0],
          allowedRanges: config.callbackAllowedRanges,
          leaseMs: config.callbackLeaseSeconds * 1000,
        })
      : undefined;
    await delivery?.start();
    undo.push(async () => {
      await delivery?.stop();
    });
    const payoutWorkers = workerRole
      ? await startPayoutWorkers(
          {
            database,
            audit: services.audit,
            clock: systemClock,
            logger,
            failpoints: killingFailpoints(config.payouts.failpoints),
            balances: services.hotWalletBalances,
          },
          config.payouts,
        )
      : undefined;
    undo.push(async () => {
      await payoutWorkers?.stop();
    });
    const chainScanners = startChainScanners(services, chainNodes, config.chains, logger);
    undo.push(() => chainScanners.stop());
    const sandboxChain = workerRole && config.sandboxAutoConfirmSeconds > 0 ? startSandboxChain(services, logger, config.sandboxAutoConfirmSeconds) : undefined;

    let closing: Promise<void> | undefined;
    return {
      ...services,
      app,
      close: () => {
        closing ??= (async () => {
          await app.close();
          // After the last response: write the request log entries still buffered.
          await services.requestLog?.stop();
          await maintenance?.stop();
          await usageJobs?.stop();
          await sandboxChain?.stop();
          await payoutWorkers?.stop();
          await chainScanners.stop();
          await delivery?.stop();
          await services.detach();
          await database.close();
          lock?.release();
        })();
        return closing;
      },
    };
  } catch (error: unknown) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    lock?.release();
    throw error;
  }
}
