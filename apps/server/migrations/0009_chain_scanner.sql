-- Deposit scanning on real chains: a durable cursor per network, the recent block hashes that
-- reveal reorgs, and where each observed deposit sits on its chain.

-- Where scanning of a network stands. `next_block` is the first block not yet scanned; it only
-- moves in the same database transaction as the deposits found below it, so a crash can neither
-- skip a block nor record one twice.
CREATE TABLE chain_cursors (
  network      text PRIMARY KEY,                    -- ETH, SEP, TRX, TRX-SHASTA
  start_block  bigint NOT NULL,                     -- where scanning began (configured, or the head at first start)
  next_block   bigint NOT NULL,
  head_block   bigint,                              -- the node's latest block when last asked
  final_block  bigint,
  head_seen_at timestamptz,
  last_block_at timestamptz,                        -- timestamp of the last scanned block (lag in seconds)
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Recent canonical blocks per network (pruned below the final height): a parent-hash mismatch
-- at the cursor means a reorg, and these find the common ancestor.
CREATE TABLE chain_blocks (
  network     text NOT NULL,
  number      bigint NOT NULL,
  hash        text NOT NULL,
  parent_hash text NOT NULL,
  PRIMARY KEY (network, number)
);

-- A deposit's position on chain. Identity is (network, tx_hash, tx_position): -1 is the
-- transaction's own native value, otherwise the log's index within its transaction receipt.
-- block_number is null while a reorg has taken the deposit's block away (detached_at set).
ALTER TABLE transactions ADD COLUMN tx_position integer;
ALTER TABLE transactions ADD COLUMN block_number bigint;
ALTER TABLE transactions ADD COLUMN block_hash text;
ALTER TABLE transactions ADD COLUMN detached_at timestamptz;
UPDATE transactions SET tx_position = CASE WHEN token_symbol IS NULL THEN -1 ELSE 0 END WHERE type = 'Deposit' AND tx_hash IS NOT NULL;
DROP INDEX transactions_chain_hash_key;
CREATE UNIQUE INDEX transactions_observation_key ON transactions (network, tx_hash, tx_position) WHERE type = 'Deposit' AND tx_hash IS NOT NULL;
CREATE INDEX transactions_pending_block_idx ON transactions (network, block_number) WHERE status = 'Pending' AND type = 'Deposit';
