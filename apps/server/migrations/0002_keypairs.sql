-- Secondary KeyPairs: the Ed25519 keys a BP's backend signs API requests with.
CREATE TABLE keypairs (
  id               text PRIMARY KEY,                 -- kp_…
  bp_id            text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  algorithm        text NOT NULL DEFAULT 'ed25519' CHECK (algorithm = 'ed25519'),
  public_key       text NOT NULL,                    -- SPKI PEM; the private key is never stored
  fingerprint      text NOT NULL,                    -- 'SHA256:' + base64(sha256(raw 32-byte key)), as OpenSSH shows keys
  source           text NOT NULL CHECK (source IN ('generated', 'uploaded')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       text REFERENCES users (id) ON DELETE SET NULL,
  created_by_label text NOT NULL,
  revoked_at       timestamptz,
  revoked_by       text REFERENCES users (id) ON DELETE SET NULL,
  revoked_by_label text,
  CHECK ((revoked_at IS NULL) = (revoked_by_label IS NULL))
);
-- "Exactly one active KeyPair per BP" is the database's rule, not only the code's.
CREATE UNIQUE INDEX keypairs_one_active_per_bp ON keypairs (bp_id) WHERE revoked_at IS NULL;
-- A public key identifies one credential: it cannot be uploaded twice, even by another BP.
CREATE UNIQUE INDEX keypairs_public_key_key ON keypairs (fingerprint);
CREATE INDEX keypairs_bp_idx ON keypairs (bp_id, created_at DESC);

-- Nonces of accepted signed requests, remembered until their signature could no longer be
-- accepted (created + window). Shared by every API process; pruned by the worker.
CREATE TABLE request_nonces (
  key_id     text NOT NULL,
  nonce      text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE INDEX request_nonces_expires_idx ON request_nonces (expires_at);

-- Inbound IP allowlist: when a BP has entries, signed requests must come from one of them.
CREATE TABLE ip_allowlist (
  bp_id            text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  cidr             cidr NOT NULL,
  label            text NOT NULL DEFAULT '' CHECK (length(label) <= 80),
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by_label text NOT NULL,
  PRIMARY KEY (bp_id, cidr)
);
