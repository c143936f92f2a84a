/**
 * The closed list of error codes Paygate returns. Every error a client sees carries exactly
 * one of these in `code`; `docs/errors.md` documents each one (a test keeps them in step).
 * Add codes here, never invent them at a throw site.
 */
export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, title: 'The request did not pass validation' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  bad_request: { status: 400, title: 'The request could not be understood' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'E-mail or password is wrong' },
  totp_required: { status: 401, title: 'A two-factor code is required' },
  totp_invalid: { status: 401, title: 'The two-factor code is wrong or was already used' },
  reauth_invalid: { status: 401, title: 'Re-authentication failed' },
  insufficient_role: { status: 403, title: 'Your role does not allow this action' },
  csrf_token_invalid: { status: 403, title: 'Missing or wrong CSRF token' },
  reauth_required: { status: 403, title: 'Confirm your identity to continue' },
  not_found: { status: 404, title: 'The resource does not exist' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed on this route' },
  request_timeout: { status: 408, title: 'The request was not received in time' },
  email_taken: { status: 409, title: 'An account with this e-mail already exists' },
  already_member: { status: 409, title: 'This user is already a member' },
  last_owner: { status: 409, title: 'A Business Partner must keep at least one owner' },
  totp_already_enabled: { status: 409, title: 'Two-factor authentication is already on' },
  totp_not_enabled: { status: 409, title: 'Two-factor authentication is not on' },
  totp_setup_missing: { status: 409, title: 'Start two-factor setup first' },
  invitation_invalid: { status: 410, title: 'The invitation is expired, revoked or already used' },
  invitation_email_mismatch: { status: 403, title: 'The invitation was sent to another e-mail address' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  uri_too_long: { status: 414, title: 'The request URI is too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  too_many_attempts: { status: 429, title: 'Too many attempts; wait before trying again' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  signature_missing: { status: 401, title: 'The request is not signed' },
  signature_malformed: { status: 401, title: 'The request signature headers are malformed' },
  signature_invalid: { status: 401, title: 'The request signature does not verify' },
  signature_expired: { status: 401, title: 'The request signature is outside the accepted time window' },
  nonce_reused: { status: 401, title: 'This signed request was already received' },
  key_unknown: { status: 401, title: 'No KeyPair with this key id' },
  key_revoked: { status: 401, title: 'This KeyPair was refreshed and no longer works' },
  digest_mismatch: { status: 401, title: 'Content-Digest does not match the body' },
  ip_not_allowed: { status: 403, title: 'Requests from this IP address are not allowed' },
  keypair_confirmation_required: { status: 409, title: 'Confirm replacing the active KeyPair' },
  public_key_invalid: { status: 400, title: 'The public key is not a valid Ed25519 key' },
  public_key_in_use: { status: 409, title: 'This public key is already registered' },
  ip_entry_invalid: { status: 400, title: 'An IP allowlist entry is not a valid address or CIDR range' },
  network_unsupported: { status: 400, title: 'Network not supported' },
  token_unsupported: { status: 400, title: 'Token not supported on this network' },
  amount_invalid: { status: 400, title: 'The amount is not a positive decimal string' },
  amount_too_precise: { status: 400, title: 'The amount has more decimals than the currency' },
  amount_too_large: { status: 400, title: 'The amount is too large' },
  address_invalid: { status: 400, title: 'The address is not valid on this network' },
  identifier_invalid: { status: 400, title: 'The identifier has characters that are not allowed' },
  insufficient_balance: { status: 409, title: 'Not enough available balance' },
  reference_conflict: { status: 409, title: 'This referenceId was already used with other parameters' },
  sandbox_only: { status: 403, title: 'Only available to sandbox Business Partners' },
  network_not_simulated: { status: 409, title: 'This network runs on a real node and cannot be simulated' },
  transaction_state_invalid: { status: 409, title: 'The transaction is not in a state that allows this' },
  callback_url_invalid: { status: 400, title: 'The callback URL is not acceptable' },
  redirect_url_invalid: { status: 400, title: 'The redirect URL is not acceptable' },
  callback_unknown: { status: 404, title: 'Paygate did not send this callback to you' },
  callback_mismatch: { status: 422, title: 'The callback you hold differs from the one Paygate sent' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  database_unavailable: { status: 503, title: 'The database is unavailable; retry shortly' },
  network_unavailable: { status: 503, title: 'No node is configured for this network' },
  shutting_down: { status: 503, title: 'This server is shutting down; retry shortly' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldError {
  /** Dotted path of the offending field, prefixed with where it was: `body.email`, `query.limit`. */
  readonly field: string;
  readonly message: string;
}

/**
 * An error with a stable code, safe to show to the client. Anything else thrown is reported
 * as `internal_error` without detail.
 *
 * @example
 * throw new AppError('insufficient_role', 'Only owners can rename the Business Partner.', { required: 'owner' });
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    /** Extra members of the problem document (e.g. `retryAfterSeconds`, `errors`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
    /** Response headers that belong to the error (e.g. Retry-After, Allow). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.status = ERROR_CATALOGUE[code].status;
  }
}
