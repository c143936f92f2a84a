import { isIP } from 'node:net';
import { z } from 'zod';
import { type ChainConfig, chainEnvironmentSchema, resolveChainConfig } from './chain-config.js';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from './modules/callbacks/retry-schedule.js';
import { type PayoutConfig, payoutEnvironmentShape, resolvePayoutConfig } from './payout-config.js';
import { resolveTronConfig, type TronConfig, tronEnvironmentShape } from './tron-config.js';

/**
 * The whole of Paygate's configuration, read from the environment exactly once
 * (in main.ts) and passed down. Nothing else in the server reads `process.env`.
 *
 * Every variable is documented in the README's configuration table; keep the two in step.
 */
const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const masterKeySchema = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 random bytes, base64-encoded (generate one with: openssl rand -base64 32)',
  });

export const environmentSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATA_DIR: z.string().min(1).default('./data'),
    PUBLIC_URL: z.url().optional(),
    PAYGATE_MASTER_KEY: masterKeySchema.optional(),
    PAYGATE_ENV: z.enum(['development', 'production']).optional(),
    PAYGATE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    PAYGATE_DEMO_SEED: booleanFlag.optional(),
    PAYGATE_TRUST_PROXY: z.string().optional(),
    PAYGATE_DASHBOARD_DIR: z.string().optional(),
    PAYGATE_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(1_048_576),
    PAYGATE_SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7),
    PAYGATE_REAUTH_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
    PAYGATE_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
    PAYGATE_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    PAYGATE_SIGNATURE_WINDOW_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
    PAYGATE_CALLBACK_SOURCE_IPS: z
      .string()
      .refine((v) => v.split(',').every((p) => isIP(p.trim()) !== 0), { message: 'must be a comma-separated list of IPv4/IPv6 addresses' })
      .optional(),
    PAYGATE_REQUEST_LOG: booleanFlag.default(true),
    PAYGATE_USAGE_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    PAYGATE_USAGE_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).max(730).default(90),
    PAYGATE_USAGE_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(730),
    PAYGATE_SANDBOX_RATES: z.string().optional(),
    PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: z.coerce.number().int().min(0).max(86_400).default(10),
    PAYGATE_ETHEREUM_XPUB: z.string().startsWith('xpub', 'must be an account-level extended PUBLIC key (xpub…)').optional(),
    PAYGATE_TRON_XPUB: z.string().startsWith('xpub', 'must be an account-level extended PUBLIC key (xpub…)').optional(),
    PAYGATE_ALLOW_HTTP_CALLBACKS: booleanFlag.optional(),
    PAYGATE_CALLBACK_RETRY_SCHEDULE: z.string().optional(),
    PAYGATE_CALLBACK_ALLOWED_RANGES: z.string().optional(),
    PAYGATE_CALLBACK_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    PAYGATE_CALLBACK_REQUESTS_PER_URL: z.coerce.number().int().min(1).max(64).default(4),
    PAYGATE_CALLBACK_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
    PAYGATE_CALLBACK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(1000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .extend(chainEnvironmentSchema.shape)
  .extend(payoutEnvironmentShape)
  .extend(tronEnvironmentShape);

export type Environment = z.infer<typeof environmentSchema>;

/** Variables that were renamed: refusing to start beats silently ignoring an operator's setting. */
const RENAMED: readonly (readonly [string, string])[] = [['PAYGATE_CALLBACK_CONNECTIONS_PER_ORIGIN', 'PAYGATE_CALLBACK_REQUESTS_PER_URL']];

export type Role = Environment['PAYGATE_ROLE'];

/** The parsed, resolved configuration every component receives. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number } | { readonly kind: 'pglite'; readonly dataDir: string };
  readonly dataDir: string;
  readonly publicUrl: string | undefined;
  /** Base64 master key from the environment; undefined means "load or create it in DATA_DIR" (embedded only). */
  readonly masterKey: string | undefined;
  readonly env: 'development' | 'production';
  readonly role: Role;
  readonly demoSeed: boolean;
  readonly trustProxy: boolean | string | string[];
  readonly dashboardDir: string | undefined;
  readonly bodyLimitBytes: number;
  /** A request's headers and body must arrive within this long (then 408 and the connection is closed). */
  readonly requestTimeoutSeconds: number;
  readonly sessionTtlSeconds: number;
  readonly reauthWindowSeconds: number;
  readonly shutdownTimeoutSeconds: number;
  readonly logLevel: Environment['LOG_LEVEL'];
  /** Accepted clock skew of signed requests, each way. */
  readonly signatureWindowSeconds: number;
  /** Local addresses outbound callbacks are sent from; published at /v1/meta/callback-ips. */
  readonly callbackSourceIps: readonly string[];
  /** Record every /v1/ request in the usage log (off only for benchmarks and debugging). */
  readonly requestLog: boolean;
  readonly usageRetention: { readonly rawDays: number; readonly minuteDays: number; readonly rollupDays: number };
  readonly sandboxRates: string | undefined;
  /** Sandbox pending transactions are confirmed after this many seconds; 0 = only by hand. */
  readonly sandboxAutoConfirmSeconds: number;
  readonly chainXpubs: { readonly ethereum?: string; readonly tron?: string };
  /** Accept plain-http callback URLs (development only; default on in development mode). */
  readonly allowHttpCallbacks: boolean;
  /** Hosted deposit pages may redirect to plain http:// (development mode only; production requires https). */
  readonly allowHttpRedirects: boolean;
  readonly callbackRetryScheduleMs: readonly number[];
  readonly callbackRequestsPerUrl: number;
  /** Most deliveries a worker claims per query. */
  readonly callbackBatchSize: number;
  /** Most deliveries a worker holds at once (claimed, being sent, or being recorded). */
  readonly callbackMaxInFlight: number;
  /** Non-public ranges callbacks may still reach (SSRF guard); loopback by default in development. */
  readonly callbackAllowedRanges: readonly string[];
  /** A worker's claim on a delivery lasts this long; after a crash another worker resends then. */
  readonly callbackLeaseSeconds: number;
  /** Chain payouts: hot wallets, fee caps, replacement, failpoints (payout-config.ts). */
  readonly payouts: PayoutConfig;
  /** Ethereum nodes, token contracts, confirmation depth and scanning (see chain-config.ts). */
  readonly chains: ChainConfig;
  /** Tron networks backed by a java-tron node (tron-config.ts). */
  readonly tron: TronConfig;
}

/** Thrown when the environment does not describe a runnable Paygate; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function parseTrustProxy(raw: string | undefined): boolean | string | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : parts;
}

/**
 * Parse the environment into a {@link Config}. Throws {@link ConfigError} listing every invalid variable.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: Record<string, string | undefined>): Config {
  // Empty strings mean "unset": `FOO= paygate start` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = environmentSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  for (const [old, replacement] of RENAMED) {
    if (cleaned[old] !== undefined) problems.push(`${old}: renamed; set ${replacement} instead`);
  }
  if (env.PAYGATE_CALLBACK_MAX_IN_FLIGHT < env.PAYGATE_CALLBACK_BATCH_SIZE) {
    problems.push(
      `PAYGATE_CALLBACK_MAX_IN_FLIGHT: must be at least PAYGATE_CALLBACK_BATCH_SIZE (${env.PAYGATE_CALLBACK_BATCH_SIZE}); a worker holds every delivery it claims`,
    );
  }
  const tron = resolveTronConfig(env);
  problems.push(...tron.problems);
  const embedded = env.DATABASE_URL === undefined;
  const mode = env.PAYGATE_ENV ?? (embedded ? 'development' : 'production');
  const chains = resolveChainConfig(env);
  const payouts = resolvePayoutConfig(env, chains, mode, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  if (!embedded && env.PAYGATE_MASTER_KEY === undefined) {
    throw new ConfigError([
      'PAYGATE_MASTER_KEY: required when DATABASE_URL is set (every process must share the same key; generate one with: openssl rand -base64 32)',
    ]);
  }
  return {
    payouts,
    port: env.PORT,
    host: env.HOST,
    database:
      env.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir: env.DATA_DIR }
        : { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    dataDir: env.DATA_DIR,
    publicUrl: env.PUBLIC_URL,
    masterKey: env.PAYGATE_MASTER_KEY,
    env: mode,
    role: env.PAYGATE_ROLE,
    // The demo account is a development convenience: on by default only for the embedded database.
    demoSeed: env.PAYGATE_DEMO_SEED ?? (embedded && mode === 'development'),
    trustProxy: parseTrustProxy(env.PAYGATE_TRUST_PROXY),
    dashboardDir: env.PAYGATE_DASHBOARD_DIR,
    bodyLimitBytes: env.PAYGATE_BODY_LIMIT_BYTES,
    requestTimeoutSeconds: env.PAYGATE_REQUEST_TIMEOUT_SECONDS,
    sessionTtlSeconds: env.PAYGATE_SESSION_TTL_HOURS * 3600,
    reauthWindowSeconds: env.PAYGATE_REAUTH_WINDOW_SECONDS,
    shutdownTimeoutSeconds: env.PAYGATE_SHUTDOWN_TIMEOUT_SECONDS,
    logLevel: env.LOG_LEVEL,
    signatureWindowSeconds: env.PAYGATE_SIGNATURE_WINDOW_SECONDS,
    callbackSourceIps: env.PAYGATE_CALLBACK_SOURCE_IPS?.split(',').map((p) => p.trim()) ?? [],
    requestLog: env.PAYGATE_REQUEST_LOG,
    usageRetention: {
      rawDays: env.PAYGATE_USAGE_RAW_RETENTION_DAYS,
      minuteDays: env.PAYGATE_USAGE_MINUTE_RETENTION_DAYS,
      rollupDays: env.PAYGATE_USAGE_ROLLUP_RETENTION_DAYS,
    },
    sandboxRates: env.PAYGATE_SANDBOX_RATES,
    allowHttpCallbacks: env.PAYGATE_ALLOW_HTTP_CALLBACKS ?? mode === 'development',
    allowHttpRedirects: mode === 'development',
    callbackRetryScheduleMs:
      env.PAYGATE_CALLBACK_RETRY_SCHEDULE === undefined ? DEFAULT_RETRY_SCHEDULE_MS : parseRetrySchedule(env.PAYGATE_CALLBACK_RETRY_SCHEDULE),
    callbackRequestsPerUrl: env.PAYGATE_CALLBACK_REQUESTS_PER_URL,
    callbackBatchSize: env.PAYGATE_CALLBACK_BATCH_SIZE,
    callbackMaxInFlight: env.PAYGATE_CALLBACK_MAX_IN_FLIGHT,
    callbackLeaseSeconds: env.PAYGATE_CALLBACK_LEASE_SECONDS,
    callbackAllowedRanges:
      env.PAYGATE_CALLBACK_ALLOWED_RANGES === undefined
        ? mode === 'development'
          ? ['127.0.0.0/8', '::1/128']
          : []
        : env.PAYGATE_CALLBACK_ALLOWED_RANGES.split(',')
            .map((r) => r.trim())
            .filter((r) => r.length > 0),
    sandboxAutoConfirmSeconds: env.PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS,
    chains,
    chainXpubs: {
      ...(env.PAYGATE_ETHEREUM_XPUB !== undefined ? { ethereum: env.PAYGATE_ETHEREUM_XPUB } : {}),
      ...(env.PAYGATE_TRON_XPUB !== undefined ? { tron: env.PAYGATE_TRON_XPUB } : {}),
    },
    tron: tron.tron,
  };
}
