import { isPortableText, toPortableText } from '@paygate/protocol';
import { AppError } from '../../lib/errors.js';

/**
 * The text rules of everything a BP or a chain can write into a transaction — and so into its
 * callbacks, which keep to the portable body profile (docs/callbacks.md). Each set here is a
 * subset of the portable characters (a test checks it), so text that passes reaches a callback
 * body unchanged and every AkashicPay SDK re-serialises it to the same bytes.
 */

/** A BP's identifier of a payer (e.g. its user id). */
export const IDENTIFIER = /^[A-Za-z0-9._:@-]{1,64}$/;
/** A BP's reference of a payout or a deposit address. */
export const REFERENCE = /^[A-Za-z0-9._:@/-]{1,128}$/;
/** Longest failure reason stored and sent. */
export const FAILURE_REASON_MAX = 200;
const FAILURE_REASON_FALLBACK = 'Failed';

/**
 * A failure reason as stored and sent: chain and node messages are free text Paygate cannot refuse,
 * so characters outside the portable set are replaced (see `toPortableText`), never passed on.
 */
export function failureReasonText(reason: string): string {
  return toPortableText(reason, FAILURE_REASON_MAX) || FAILURE_REASON_FALLBACK;
}

/**
 * Refuse BP-supplied free text (a sandbox failure reason) that a callback could not carry as is:
 * 400 `validation_failed` naming the field, rather than silently changing what the BP wrote.
 */
export function requirePortableText(text: string, field: string): string {
  if (!isPortableText(text) || text.trim() === '' || text.length > FAILURE_REASON_MAX) {
    throw new AppError(
      'validation_failed',
      `${field.replace(/^body\./, '')} may use printable ASCII except & < > ' = (1–${FAILURE_REASON_MAX} characters): callbacks carry it to SDKs that would re-escape anything else.`,
      { errors: [{ field, message: `Printable ASCII without & < > ' =, 1–${FAILURE_REASON_MAX} characters` }] },
    );
  }
  return text;
}
