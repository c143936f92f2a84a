-- API usage analytics: a raw request log (partitioned by day) and per-minute/hour/day rollups.

-- Latency histogram bucket of a duration in microseconds: the number of thresholds <= it, so
-- bucket 0 is < 100 µs and bucket k covers [threshold k, threshold k+1). Thresholds are
-- ceil(100 µs · 2^(k/4)), k = 0..79 (four buckets per doubling, up to ~88 s); the same table is
-- LATENCY_THRESHOLDS_US in src/modules/usage/histogram.ts (a test keeps them equal).
CREATE FUNCTION paygate_latency_bucket(duration_us integer) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN width_bucket(duration_us, '{100,119,142,169,200,238,283,337,400,476,566,673,800,952,1132,1346,1600,1903,2263,2691,3200,3806,4526,5382,6400,7611,9051,10764,12800,15222,18102,21527,25600,30444,36204,43054,51200,60888,72408,86108,102400,121775,144816,172216,204800,243550,289631,344432,409600,487100,579262,688863,819200,974199,1158524,1377725,1638400,1948397,2317048,2755450,3276800,3896794,4634096,5510899,6553600,7793588,9268191,11021798,13107200,15587176,18536381,22043595,26214400,31174351,37072761,44087190,52428800,62348702,74145521,88174380}'::integer[]);

-- Every /v1/ request attributable to a BP. Daily partitions are created ahead and dropped after
-- the retention period by the worker; the default partition only catches far-off timestamps.
CREATE TABLE api_requests (
  occurred_at timestamptz NOT NULL,
  bp_id       text NOT NULL,
  key_id      text,
  method      text NOT NULL,
  route       text NOT NULL,            -- route template, e.g. /v1/transactions/{id}
  status      smallint NOT NULL,
  duration_us integer NOT NULL,
  client_ip   text,
  error_code  text,
  request_id  text NOT NULL
) PARTITION BY RANGE (occurred_at);
CREATE TABLE api_requests_default PARTITION OF api_requests DEFAULT;
CREATE INDEX api_requests_bp_time_idx ON api_requests (bp_id, occurred_at DESC);
CREATE INDEX api_requests_bp_request_idx ON api_requests (bp_id, request_id);

-- Rollups, at each level (minute, hour, day): request counts per (bucket, BP, endpoint, status),
-- and the latency histogram per (bucket, BP, endpoint, latency bucket) in a table of its own — so
-- neither multiplies the other's rows, and merging histograms is a plain SUM.
CREATE TABLE usage_minute (
  bp_id    text NOT NULL,
  bucket   timestamptz NOT NULL,
  method   text NOT NULL,
  route    text NOT NULL,
  status   smallint NOT NULL,
  count    integer NOT NULL,
  total_us bigint NOT NULL,
  PRIMARY KEY (bp_id, bucket, method, route, status)
);
CREATE INDEX usage_minute_bucket_idx ON usage_minute (bucket);
CREATE TABLE usage_hour (LIKE usage_minute INCLUDING ALL);
CREATE TABLE usage_day (LIKE usage_minute INCLUDING ALL);

CREATE TABLE usage_minute_latency (
  bp_id  text NOT NULL,
  bucket timestamptz NOT NULL,
  method text NOT NULL,
  route  text NOT NULL,
  lb     smallint NOT NULL,
  count  integer NOT NULL,
  PRIMARY KEY (bp_id, bucket, method, route, lb)
);
CREATE INDEX usage_minute_latency_bucket_idx ON usage_minute_latency (bucket);
CREATE TABLE usage_hour_latency (LIKE usage_minute_latency INCLUDING ALL);
CREATE TABLE usage_day_latency (LIKE usage_minute_latency INCLUDING ALL);

-- How far each rollup level is complete (exclusive upper bound), advanced in the same
-- transaction as the rollup rows it covers: a crash can never double-count.
CREATE TABLE usage_watermarks (
  level text PRIMARY KEY CHECK (level IN ('minute', 'hour', 'day')),
  upto  timestamptz NOT NULL
);
INSERT INTO usage_watermarks (level, upto) VALUES
  ('minute', date_trunc('minute', now())),
  ('hour', date_trunc('hour', now())),
  ('day', date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');

-- Minutes that received log rows after they were rolled up (a delayed flush); the rollup worker
-- recomputes them.
CREATE TABLE usage_dirty_minutes (
  bucket timestamptz PRIMARY KEY
);
