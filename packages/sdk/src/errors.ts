/** The RFC 9457 problem document every Paygate error response carries. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
  readonly [member: string]: unknown;
}

/**
 * An error answered by Paygate. `code` is stable (see docs/errors.md); quote `requestId` to support.
 *
 * @example
 * try { await paygate.me(); } catch (e) { if (e instanceof PaygateApiError && e.code === 'key_revoked') reloadKey(); }
 */
export class PaygateApiError extends Error {
  override readonly name = 'PaygateApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly problem: ProblemDocument | undefined;

  constructor(status: number, problem: ProblemDocument | undefined, fallbackRequestId?: string) {
    super(problem ? `${problem.code}: ${problem.detail}` : `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? (status >= 500 ? 'internal_error' : 'bad_request');
    this.requestId = problem?.requestId ?? fallbackRequestId;
    this.problem = problem;
  }

  /** Parse a response body into an error; tolerant of non-problem bodies (e.g. from a proxy). */
  static fromResponse(status: number, body: string, requestId?: string): PaygateApiError {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string') {
        return new PaygateApiError(status, parsed as ProblemDocument, requestId);
      }
    } catch (_error: unknown) {
      // Not JSON: fall through to a generic error carrying the status.
    }
    return new PaygateApiError(status, undefined, requestId);
  }
}

/** The request never got an answer from Paygate (DNS, refused, reset, timeout) after its retries. */
export class PaygateConnectionError extends Error {
  override readonly name = 'PaygateConnectionError';
}
