-- Payments core: deposit addresses, transactions, an append-only ledger with balances that cannot
-- go negative, and the outbox of callback messages written in the same transaction as each change.

-- Account-level extended public keys per chain (BIP44 m/44'/coin'/0'), and the next address index.
CREATE TABLE chain_keys (
  chain      text PRIMARY KEY CHECK (chain IN ('ethereum', 'tron')),
  xpub       text NOT NULL,
  source     text NOT NULL CHECK (source IN ('sandbox', 'configured')),
  next_index integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The permanent address of (BP, identifier, network).
CREATE TABLE deposit_addresses (
  id               text PRIMARY KEY,                 -- da_…
  bp_id            text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  network          text NOT NULL,                    -- ETH, TRX, SEP, TRX-SHASTA
  chain            text NOT NULL CHECK (chain IN ('ethereum', 'tron')),
  identifier       text NOT NULL,
  reference_id     text,
  address          text NOT NULL,
  derivation_index integer NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bp_id, network, identifier),
  UNIQUE (chain, address),
  UNIQUE (chain, derivation_index)
);

-- Deposit requests: a requested value with an expiry, matched against incoming deposits.
CREATE TABLE deposit_requests (
  id                 text PRIMARY KEY,               -- dr_…
  bp_id              text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  deposit_address_id text NOT NULL REFERENCES deposit_addresses (id) ON DELETE CASCADE,
  requested_amount   numeric(38, 18) NOT NULL CHECK (requested_amount > 0),
  requested_currency text NOT NULL,                  -- a coin, token or USD
  reference_id       text,
  expires_at         timestamptz NOT NULL,
  matched_tx_id      text,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposit_requests_open_idx ON deposit_requests (deposit_address_id, expires_at) WHERE matched_tx_id IS NULL;

-- Deposits and payouts. Amounts and fees are integers of the currency's base units.
CREATE TABLE transactions (
  id                  text PRIMARY KEY,              -- tx_…
  bp_id               text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  type                text NOT NULL CHECK (type IN ('Deposit', 'Withdrawal')),
  layer               text NOT NULL CHECK (layer IN ('L1', 'L2')),
  network             text NOT NULL,
  currency            text NOT NULL,                 -- ledger currency: ETH, TRX, USDT-ETH, USDT-TRX (testnet equivalents in sandbox)
  coin_symbol         text NOT NULL,
  token_symbol        text,
  amount              numeric(78, 0) NOT NULL CHECK (amount > 0),
  fee_deposit         numeric(78, 0) NOT NULL DEFAULT 0 CHECK (fee_deposit >= 0),
  fees_paid           numeric(78, 0),
  usd_value           numeric(38, 6),
  status              text NOT NULL CHECK (status IN ('Pending', 'Confirmed', 'Failed')),
  settled             boolean NOT NULL DEFAULT true, -- false: a Layer 1 deposit worth < 1 USDT
  from_address        text,
  to_address          text NOT NULL,
  tx_hash             text,
  l2_txn_hash         text,
  identifier          text,
  reference_id        text,
  deposit_address_id  text REFERENCES deposit_addresses (id) ON DELETE SET NULL,
  deposit_request_id  text REFERENCES deposit_requests (id) ON DELETE SET NULL,
  counterparty_tx_id  text,
  confirmations       integer NOT NULL DEFAULT 0,
  required_confirmations integer NOT NULL DEFAULT 0,
  request_fingerprint text,                          -- payouts: hash of the parameters, for idempotency
  failure_reason      text,
  initiated_at        timestamptz NOT NULL DEFAULT now(),
  confirmed_at        timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transactions_bp_idx ON transactions (bp_id, initiated_at DESC, id DESC);
CREATE UNIQUE INDEX transactions_payout_reference_key ON transactions (bp_id, reference_id) WHERE type = 'Withdrawal';
CREATE UNIQUE INDEX transactions_chain_hash_key ON transactions (network, tx_hash, to_address) WHERE type = 'Deposit' AND tx_hash IS NOT NULL;
CREATE INDEX transactions_pending_idx ON transactions (status, network) WHERE status = 'Pending';

-- Balances per BP and currency, kept in the same transaction as the journal; the CHECKs make
-- overdrawing impossible whatever the code does.
CREATE TABLE balances (
  bp_id     text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  currency  text NOT NULL,
  available numeric(78, 0) NOT NULL DEFAULT 0 CHECK (available >= 0),
  pending   numeric(78, 0) NOT NULL DEFAULT 0 CHECK (pending >= 0),
  reserved  numeric(78, 0) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  PRIMARY KEY (bp_id, currency)
);

-- Append-only journal: every balance movement, never updated or deleted.
CREATE TABLE ledger_entries (
  id             bigserial PRIMARY KEY,
  bp_id          text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  currency       text NOT NULL,
  account        text NOT NULL CHECK (account IN ('available', 'pending', 'reserved')),
  amount         numeric(78, 0) NOT NULL CHECK (amount <> 0),
  transaction_id text NOT NULL REFERENCES transactions (id),
  reason         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_bp_idx ON ledger_entries (bp_id, currency);
CREATE FUNCTION paygate_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION paygate_ledger_append_only();

-- Outbox: one row per callback to send, written with the state change it reports. `sequence`
-- orders a transaction's callbacks (pendingDeposit before deposit).
CREATE TABLE callback_messages (
  id             text PRIMARY KEY,                   -- msg_…
  bp_id          text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout', 'verification', 'test')),
  transaction_id text REFERENCES transactions (id) ON DELETE CASCADE,
  sequence       integer NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (transaction_id, sequence)
);
CREATE INDEX callback_messages_bp_idx ON callback_messages (bp_id, created_at DESC);

-- Per-BP payment settings.
ALTER TABLE bps ADD COLUMN deposit_request_ttl_seconds integer NOT NULL DEFAULT 86400 CHECK (deposit_request_ttl_seconds BETWEEN 60 AND 2592000);
