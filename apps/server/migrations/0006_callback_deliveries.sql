-- Durable callback delivery: one delivery per outbox message whose kind has an enabled URL,
-- written in the same transaction as the message; every attempt is logged.
CREATE TABLE callback_deliveries (
  id               text PRIMARY KEY,                 -- dlv_…
  message_id       text NOT NULL UNIQUE REFERENCES callback_messages (id) ON DELETE CASCADE,
  bp_id            text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  kind             text NOT NULL,
  url              text NOT NULL,
  transaction_id   text,
  sequence         integer NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivering', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  locked_until     timestamptz,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz
);
CREATE INDEX callback_deliveries_due_idx ON callback_deliveries (next_attempt_at) WHERE status IN ('pending', 'delivering');
CREATE INDEX callback_deliveries_tx_idx ON callback_deliveries (transaction_id, sequence) WHERE transaction_id IS NOT NULL;
CREATE INDEX callback_deliveries_bp_idx ON callback_deliveries (bp_id, created_at DESC);

CREATE TABLE callback_attempts (
  id               bigserial PRIMARY KEY,
  delivery_id      text NOT NULL REFERENCES callback_deliveries (id) ON DELETE CASCADE,
  attempt          integer NOT NULL,
  started_at       timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  status_code      integer,
  error_class      text CHECK (error_class IN ('timeout', 'refused', 'dns', 'tls', 'blocked', 'non_2xx', 'network')),
  error_message    text,
  request_headers  jsonb,                            -- exactly as sent (signatures included; never the secret)
  response_headers jsonb,
  response_excerpt text
);
CREATE INDEX callback_attempts_delivery_idx ON callback_attempts (delivery_id, attempt);
