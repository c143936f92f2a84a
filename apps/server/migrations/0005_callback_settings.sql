-- API secrets (sign callbacks) and callback URL settings.

-- Sealed with the master key (AES-256-GCM). Active = not revoked and not past expires_at; during a
-- rotation's overlap the old secret has expires_at in the future and both sign.
CREATE TABLE api_secrets (
  id               text PRIMARY KEY,                 -- sec_…
  bp_id            text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  secret_enc       text NOT NULL,
  fingerprint      text NOT NULL,                    -- first 12 hex of sha256(secret): safe to show
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by_label text NOT NULL,
  expires_at       timestamptz
);
CREATE INDEX api_secrets_bp_idx ON api_secrets (bp_id, created_at);

CREATE TABLE callback_settings (
  bp_id      text PRIMARY KEY REFERENCES bps (id) ON DELETE CASCADE,
  timeout_ms integer NOT NULL DEFAULT 5000 CHECK (timeout_ms BETWEEN 1000 AND 30000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One URL per callback kind; no row (or enabled = false) means no callbacks of that kind.
CREATE TABLE callback_urls (
  bp_id      text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout')),
  url        text NOT NULL CHECK (length(url) <= 2048),
  enabled    boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bp_id, kind)
);

-- Every existing BP gets its first secret when the server next starts (see ApiSecretsService.ensureAll).
