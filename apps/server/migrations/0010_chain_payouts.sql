-- Payouts on a real chain: the hot wallet's nonce counter, each payout's progress, and every
-- signed transaction of a payout (stored before it is broadcast, so a restart re-sends exactly
-- those bytes and never signs a second transfer that could also land).

-- One hot wallet per network. next_nonce is the next Ethereum nonce to hand out (row-locked).
CREATE TABLE hot_wallets (
  network    text PRIMARY KEY,
  address    text NOT NULL,
  next_nonce bigint NOT NULL DEFAULT 0 CHECK (next_nonce >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A Layer 1 payout on a node-backed network, beside its transaction row.
CREATE TABLE payouts (
  transaction_id    text PRIMARY KEY REFERENCES transactions (id) ON DELETE CASCADE,
  network           text NOT NULL,
  state             text NOT NULL CHECK (state IN ('queued', 'waiting_funds', 'sent', 'confirmed', 'failed')),
  -- What was reserved for the network fee at request time (native payouts: gas limit × max fee cap;
  -- token payouts: the flat token fee).
  reserved_fee      numeric(78, 0) NOT NULL CHECK (reserved_fee >= 0),
  nonce             bigint,
  -- The native coin the hot wallet actually burned (gasUsed × effectiveGasPrice), for the operator.
  network_fee_paid  numeric(78, 0),
  funds_notified_at timestamptz,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payouts_open_idx ON payouts (network, created_at) WHERE state IN ('queued', 'waiting_funds', 'sent');
-- Two payouts can never share a nonce: at most one of them could land.
CREATE UNIQUE INDEX payouts_nonce_key ON payouts (network, nonce) WHERE nonce IS NOT NULL;

-- Every signed transaction of a payout. All attempts of an Ethereum payout share its nonce.
CREATE TABLE payout_attempts (
  id             text PRIMARY KEY,                 -- pa_…
  transaction_id text NOT NULL REFERENCES payouts (transaction_id) ON DELETE CASCADE,
  network        text NOT NULL,
  hash           text NOT NULL,
  raw            text NOT NULL,
  nonce          bigint,
  max_fee        numeric(78, 0) NOT NULL,
  expires_at     timestamptz,
  state          text NOT NULL CHECK (state IN ('signed', 'broadcast', 'mined', 'reverted', 'superseded')),
  block_number   bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  broadcast_at   timestamptz,
  UNIQUE (network, hash)
);
CREATE INDEX payout_attempts_tx_idx ON payout_attempts (transaction_id, created_at);
