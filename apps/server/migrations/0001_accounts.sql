-- Business Partners (tenants), their users, sessions and invitations.
CREATE TABLE bps (
  id          text PRIMARY KEY,                      -- bp_…
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  environment text NOT NULL DEFAULT 'sandbox' CHECK (environment IN ('sandbox', 'live')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id               text PRIMARY KEY,                 -- usr_…
  email            text NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  password_hash    text NOT NULL,                    -- argon2id PHC string
  totp_secret_enc  text,                             -- sealed with the master key; NULL = no 2FA
  totp_enabled_at  timestamptz,
  totp_last_step   bigint,                           -- last accepted TOTP time step (replay guard)
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE memberships (
  bp_id      text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bp_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,                     -- sha256(cookie value); the cookie itself is never stored
  id           text NOT NULL UNIQUE,                 -- ses_…, safe to show and log
  user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  active_bp_id text REFERENCES bps (id) ON DELETE SET NULL,
  csrf_token   text NOT NULL,
  reauth_at    timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  user_agent   text,
  ip           text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE invitations (
  id          text PRIMARY KEY,                      -- inv_…
  bp_id       text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  email       text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
  token_hash  text NOT NULL UNIQUE,
  invited_by  text REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by text REFERENCES users (id) ON DELETE SET NULL,
  revoked_at  timestamptz
);
CREATE INDEX invitations_bp_idx ON invitations (bp_id, created_at DESC);

-- Failed-login counters shared by every API process (so throttling holds behind a load balancer).
CREATE TABLE login_throttle (
  key          text PRIMARY KEY,                     -- 'email:<lower email>' or 'ip:<address>'
  failures     integer NOT NULL DEFAULT 0,
  window_start timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- Append-only record of every security-relevant change, written in the same transaction as the change.
CREATE TABLE audit_log (
  id          text PRIMARY KEY,                      -- aud_… (time-ordered)
  bp_id       text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id    text,
  actor_label text NOT NULL,
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id  text,
  ip          text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_bp_idx ON audit_log (bp_id, id DESC);

-- In-app notifications for a BP's team (one row per event; read state per user).
CREATE TABLE notifications (
  id         text PRIMARY KEY,                       -- ntf_… (time-ordered)
  bp_id      text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  severity   text NOT NULL DEFAULT 'info' CHECK (severity IN ('info', 'warning', 'critical')),
  title      text NOT NULL,
  body       text NOT NULL,
  link       text,
  audit_id   text REFERENCES audit_log (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_bp_idx ON notifications (bp_id, id DESC);

CREATE TABLE notification_reads (
  notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  read_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, user_id)
);
