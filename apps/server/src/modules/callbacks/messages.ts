import { assertPortableBody, type CallbackPayload, type VerificationCallbackPayload } from '@paygate/protocol';
import type { CallbackMessagesTable } from '../../db/schema.js';

/**
 * The stored form of a new callback message's payload — the one gate every callback body passes
 * (transaction callbacks, test callbacks, verifications). A body outside the portable body profile
 * (docs/callbacks.md) is a bug in whatever built it: `NonPortableBodyError` is thrown inside the
 * caller's database transaction, so the change that caused the callback rolls back with it rather
 * than a body going out that AkashicPay SDKs would reject.
 */
export function storedCallbackPayload(payload: CallbackPayload): string {
  assertPortableBody(payload);
  return JSON.stringify(payload);
}

/** The body of the `verification` callback confirming that Paygate sent `message` (no transaction: no `transactionId`). */
export function verificationPayload(message: Pick<CallbackMessagesTable, 'id' | 'kind' | 'transaction_id'>, verifiedAt: Date): VerificationCallbackPayload {
  return {
    verified: true,
    webhookId: message.id,
    callbackType: message.kind,
    ...(message.transaction_id === null ? {} : { transactionId: message.transaction_id }),
    verifiedAt: verifiedAt.toISOString(),
  };
}
