import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps are read as Date and may be written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** int8 columns are read as decimal strings on both drivers (see database.ts), never as floats. */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export type MemberRole = 'owner' | 'admin' | 'developer' | 'viewer';

export interface BpsTable {
  id: string;
  name: string;
  environment: Generated<'sandbox' | 'live'>;
  deposit_request_ttl_seconds: Generated<number>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  totp_secret_enc: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: Int8 | null;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  bp_id: string;
  user_id: string;
  role: MemberRole;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  id: string;
  user_id: string;
  active_bp_id: string | null;
  csrf_token: string;
  reauth_at: Timestamp | null;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface InvitationsTable {
  id: string;
  bp_id: string;
  email: string;
  role: Exclude<MemberRole, 'owner'>;
  token_hash: string;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  revoked_at: Timestamp | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuditLogTable {
  id: string;
  bp_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Json;
  request_id: string | null;
  ip: string | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: string;
  bp_id: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
  link: string | null;
  audit_id: string | null;
  created_at: CreatedAt;
}

export interface NotificationReadsTable {
  notification_id: string;
  user_id: string;
  read_at: CreatedAt;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export interface KeypairsTable {
  id: string;
  bp_id: string;
  algorithm: ColumnType<'ed25519', 'ed25519' | undefined, never>;
  public_key: string;
  fingerprint: string;
  source: 'generated' | 'uploaded';
  created_at: CreatedAt;
  created_by: string | null;
  created_by_label: string;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoked_by_label: string | null;
}

export interface RequestNoncesTable {
  key_id: string;
  nonce: string;
  expires_at: Timestamp;
}

export interface IpAllowlistTable {
  bp_id: string;
  cidr: string;
  label: string;
  created_at: CreatedAt;
  created_by_label: string;
}

export interface ApiRequestsTable {
  occurred_at: Timestamp;
  bp_id: string;
  key_id: string | null;
  method: string;
  route: string;
  status: number;
  duration_us: number;
  client_ip: string | null;
  error_code: string | null;
  error_message: ColumnType<string | null, string | null | undefined, string | null>;
  request_id: string;
}

export interface UsageRollupTable {
  bp_id: string;
  bucket: Timestamp;
  method: string;
  route: string;
  status: number;
  count: number;
  total_us: Int8;
}

export interface UsageLatencyTable {
  bp_id: string;
  bucket: Timestamp;
  method: string;
  route: string;
  lb: number;
  count: number;
}

export interface UsageWatermarksTable {
  level: 'minute' | 'hour' | 'day';
  upto: Timestamp;
}

export interface UsageDirtyMinutesTable {
  bucket: Timestamp;
}

/** numeric columns are read as decimal strings on both drivers. */
type Numeric = ColumnType<string, string | bigint, string | bigint>;

export interface ChainKeysTable {
  chain: 'ethereum' | 'tron';
  xpub: string;
  source: 'sandbox' | 'configured';
  next_index: Generated<number>;
  created_at: CreatedAt;
}

export interface DepositAddressesTable {
  id: string;
  bp_id: string;
  network: string;
  chain: 'ethereum' | 'tron';
  identifier: string;
  reference_id: string | null;
  address: string;
  derivation_index: number;
  created_at: CreatedAt;
}

export interface DepositRequestsTable {
  id: string;
  bp_id: string;
  deposit_address_id: string;
  requested_amount: Numeric;
  requested_currency: string;
  reference_id: string | null;
  expires_at: Timestamp;
  matched_tx_id: string | null;
  created_at: CreatedAt;
}

export interface TransactionsTable {
  id: string;
  bp_id: string;
  type: 'Deposit' | 'Withdrawal';
  layer: 'L1' | 'L2';
  network: string;
  currency: string;
  coin_symbol: string;
  token_symbol: string | null;
  amount: Numeric;
  fee_deposit: ColumnType<string, string | bigint | undefined, string | bigint>;
  fees_paid: Numeric | null;
  usd_value: Numeric | null;
  status: 'Pending' | 'Confirmed' | 'Failed';
  settled: ColumnType<boolean, boolean | undefined, boolean>;
  from_address: string | null;
  to_address: string;
  tx_hash: string | null;
  l2_txn_hash: string | null;
  identifier: string | null;
  reference_id: string | null;
  deposit_address_id: string | null;
  deposit_request_id: string | null;
  counterparty_tx_id: string | null;
  confirmations: ColumnType<number, number | undefined, number>;
  required_confirmations: ColumnType<number, number | undefined, number>;
  request_fingerprint: string | null;
  failure_reason: string | null;
  initiated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  confirmed_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Deposits on chain: -1 = the transaction's native value, else the log's index within its receipt. */
  tx_position: ColumnType<number | null, number | null | undefined, number | null>;
  block_number: ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
  block_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set while a reorg has taken the deposit's block away and the rescan has not found it again. */
  detached_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ChainCursorsTable {
  network: string;
  start_block: Int8;
  next_block: Int8;
  head_block: Int8 | null;
  final_block: Int8 | null;
  head_seen_at: Timestamp | null;
  last_block_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ChainBlocksTable {
  network: string;
  number: Int8;
  hash: string;
  parent_hash: string;
}

export interface BalancesTable {
  bp_id: string;
  currency: string;
  available: ColumnType<string, string | bigint | undefined, string | bigint>;
  pending: ColumnType<string, string | bigint | undefined, string | bigint>;
  reserved: ColumnType<string, string | bigint | undefined, string | bigint>;
}

export interface LedgerEntriesTable {
  id: Generated<Int8>;
  bp_id: string;
  currency: string;
  account: 'available' | 'pending' | 'reserved';
  amount: Numeric;
  transaction_id: string;
  reason: string;
  created_at: CreatedAt;
}

export interface CallbackMessagesTable {
  id: string;
  bp_id: string;
  kind: 'deposit' | 'pendingDeposit' | 'failedDeposit' | 'payout' | 'pendingPayout' | 'failedPayout' | 'verification' | 'test';
  transaction_id: string | null;
  sequence: number;
  payload: Json;
  created_at: CreatedAt;
}

export interface ApiSecretsTable {
  id: string;
  bp_id: string;
  secret_enc: string;
  fingerprint: string;
  created_at: CreatedAt;
  created_by_label: string;
  expires_at: Timestamp | null;
}

export interface CallbackSettingsTable {
  bp_id: string;
  timeout_ms: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type CallbackUrlKind = 'deposit' | 'pendingDeposit' | 'failedDeposit' | 'payout' | 'pendingPayout' | 'failedPayout';

export interface CallbackUrlsTable {
  bp_id: string;
  kind: CallbackUrlKind;
  url: string;
  enabled: boolean;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CallbackDeliveriesTable {
  id: string;
  message_id: string;
  bp_id: string;
  kind: string;
  url: string;
  transaction_id: string | null;
  sequence: number;
  status: 'pending' | 'delivering' | 'succeeded' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

export interface CallbackAttemptsTable {
  id: Generated<Int8>;
  delivery_id: string;
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  error_class: 'timeout' | 'refused' | 'dns' | 'tls' | 'blocked' | 'non_2xx' | 'network' | 'signing' | null;
  error_message: string | null;
  request_headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  response_headers: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  response_excerpt: string | null;
}

/** The typed shape of Paygate's database, shared by the pg and PGlite drivers. */
export interface HotWalletsTable {
  network: string;
  address: string;
  next_nonce: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type PayoutState = 'queued' | 'waiting_funds' | 'sent' | 'confirmed' | 'failed';

export interface PayoutsTable {
  transaction_id: string;
  network: string;
  state: PayoutState;
  reserved_fee: Numeric;
  nonce: Int8 | null;
  network_fee_paid: Numeric | null;
  funds_notified_at: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PayoutAttemptsTable {
  id: string;
  transaction_id: string;
  network: string;
  hash: string;
  raw: string;
  nonce: Int8 | null;
  max_fee: Numeric;
  expires_at: Timestamp | null;
  state: 'signed' | 'broadcast' | 'mined' | 'reverted' | 'superseded';
  block_number: Int8 | null;
  created_at: CreatedAt;
  broadcast_at: Timestamp | null;
}

export interface DepositUrlsTable {
  id: string;
  bp_id: string;
  token_hash: string;
  identifier: string;
  reference_id: string | null;
  requested_amount: Numeric | null;
  requested_currency: string | null;
  redirect_url: string | null;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface DepositUrlOptionsTable {
  deposit_url_id: string;
  position: number;
  currency: string;
  deposit_address_id: string;
  deposit_request_id: string | null;
}

export interface PublicRateLimitsTable {
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface DB {
  bps: BpsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
  schema_migrations: SchemaMigrationsTable;
  keypairs: KeypairsTable;
  request_nonces: RequestNoncesTable;
  ip_allowlist: IpAllowlistTable;
  api_requests: ApiRequestsTable;
  usage_minute: UsageRollupTable;
  usage_hour: UsageRollupTable;
  usage_day: UsageRollupTable;
  usage_minute_latency: UsageLatencyTable;
  usage_hour_latency: UsageLatencyTable;
  usage_day_latency: UsageLatencyTable;
  usage_watermarks: UsageWatermarksTable;
  usage_dirty_minutes: UsageDirtyMinutesTable;
  chain_keys: ChainKeysTable;
  deposit_addresses: DepositAddressesTable;
  deposit_requests: DepositRequestsTable;
  transactions: TransactionsTable;
  chain_cursors: ChainCursorsTable;
  chain_blocks: ChainBlocksTable;
  balances: BalancesTable;
  ledger_entries: LedgerEntriesTable;
  callback_messages: CallbackMessagesTable;
  api_secrets: ApiSecretsTable;
  callback_settings: CallbackSettingsTable;
  callback_urls: CallbackUrlsTable;
  callback_deliveries: CallbackDeliveriesTable;
  callback_attempts: CallbackAttemptsTable;
  hot_wallets: HotWalletsTable;
  payouts: PayoutsTable;
  payout_attempts: PayoutAttemptsTable;
  deposit_urls: DepositUrlsTable;
  deposit_url_options: DepositUrlOptionsTable;
  public_rate_limits: PublicRateLimitsTable;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type NewAuditLog = Insertable<AuditLogTable>;
