-- Deliveries created in one transaction share their next_attempt_at (now()). With B-tree
-- deduplication their entries in the due index become posting lists, whose dead items the index
-- cannot mark as dead one by one: every claim then re-visited every delivery of such a batch
-- already sent (at 60,000 in one batch, each claim took tens of milliseconds). One entry per row
-- lets each claim skip the ones already sent.
ALTER INDEX callback_deliveries_due_idx SET (deduplicate_items = off);
REINDEX INDEX callback_deliveries_due_idx;
