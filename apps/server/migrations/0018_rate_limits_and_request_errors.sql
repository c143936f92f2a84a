-- Fixed-window request counters for unauthenticated endpoints (the hosted deposit page's status
-- polling), shared by every API process. Old windows are pruned by the maintenance job.
CREATE TABLE public_rate_limits (
  bucket       text NOT NULL,                        -- e.g. 'deposit-status:token:<hash>' or 'deposit-status:ip:<address>'
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX public_rate_limits_window_idx ON public_rate_limits (window_start);

-- The request log keeps the message an error answer carried (the problem document's `detail`), so the
-- dashboard's request detail shows what the API told the caller, not only the code.
ALTER TABLE api_requests ADD COLUMN error_message text;
