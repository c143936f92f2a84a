-- Callback bodies keep to the portable body profile (docs/callbacks.md): no null members and no
-- empty internalFee, because AkashicPay SDKs re-serialise a body before checking its Signature and
-- PHP turns {} into []. Messages written before the rule that have not been sent yet (no delivery,
-- or only deliveries still pending and never attempted) get the portable form now, so they verify
-- in every SDK when they go out. A body that has been sent keeps its bytes: retries and resends
-- carry the same body, and a Signature a BP holds keeps matching the verification round-trip.
UPDATE callback_messages m
SET payload = CASE
  WHEN jsonb_strip_nulls(m.payload) -> 'internalFee' = '{}'::jsonb THEN jsonb_strip_nulls(m.payload) - 'internalFee'
  ELSE jsonb_strip_nulls(m.payload)
END
WHERE (jsonb_strip_nulls(m.payload) <> m.payload OR m.payload -> 'internalFee' = '{}'::jsonb)
  AND NOT EXISTS (
    SELECT 1 FROM callback_deliveries d
    WHERE d.message_id = m.id AND (d.attempts > 0 OR d.status <> 'pending')
  );
