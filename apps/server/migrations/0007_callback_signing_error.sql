-- A callback that cannot be signed (its BP has no readable API secret, e.g. the master key
-- changed) is logged as an attempt of class 'signing' and retried like any failed attempt, so the
-- problem shows in the delivery log and ends in the team's failure notification.
ALTER TABLE callback_attempts DROP CONSTRAINT callback_attempts_error_class_check;
ALTER TABLE callback_attempts ADD CONSTRAINT callback_attempts_error_class_check
  CHECK (error_class IN ('timeout', 'refused', 'dns', 'tls', 'blocked', 'non_2xx', 'network', 'signing'));
