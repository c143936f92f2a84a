-- Hosted deposit pages: a Business Partner creates a link for one customer; the customer opens it
-- without logging in, picks one of the offered currencies and pays to the shown address.

-- One link. Only a hash of its token is kept, so a database reader cannot open the pages.
CREATE TABLE deposit_urls (
  id                 text PRIMARY KEY,               -- du_…
  bp_id              text NOT NULL REFERENCES bps (id) ON DELETE CASCADE,
  token_hash         text NOT NULL UNIQUE,           -- hex SHA-256 of the token in the URL
  identifier         text NOT NULL,
  reference_id       text,
  requested_amount   numeric(38, 18) CHECK (requested_amount > 0),
  requested_currency text,                           -- USD, USDT or a network coin; NULL with no amount
  redirect_url       text,
  expires_at         timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((requested_amount IS NULL) = (requested_currency IS NULL))
);
CREATE INDEX deposit_urls_bp_idx ON deposit_urls (bp_id, created_at DESC);

-- The network/currency pairs a link offers, each with its address and (with an amount) its deposit request.
CREATE TABLE deposit_url_options (
  deposit_url_id     text NOT NULL REFERENCES deposit_urls (id) ON DELETE CASCADE,
  position           smallint NOT NULL,
  currency           text NOT NULL,                  -- ledger code: SEP, USDT-SEP, TRX, USDT-TRX, …
  deposit_address_id text NOT NULL REFERENCES deposit_addresses (id) ON DELETE CASCADE,
  deposit_request_id text REFERENCES deposit_requests (id) ON DELETE SET NULL,
  PRIMARY KEY (deposit_url_id, currency),
  UNIQUE (deposit_url_id, position)
);
