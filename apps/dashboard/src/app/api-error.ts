/** A field the server rejected, as listed in a problem document's `errors`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An RFC 9457 problem document from the API (or a stand-in when no document arrived), so every
 * screen can show the server's `detail` and the request id people quote to support.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string | null;
  readonly fieldErrors: readonly FieldError[];
  /** The whole problem document, for members beyond the standard ones (e.g. the `suggestion` of `ip_entry_invalid`). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    detail: string,
    requestId: string | null,
    fieldErrors: readonly FieldError[] = [],
    options?: ErrorOptions,
    extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`, options);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.requestId = requestId;
    this.fieldErrors = fieldErrors;
    this.extra = extra;
  }

  /** The server names fields by where they were found (`body.email`); forms ask by the plain name. */
  fieldMessage(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field || e.field === `body.${field}`)?.message;
  }

  /** A text member of the problem document beyond the standard ones, if the server sent it. */
  extraText(name: string): string | undefined {
    const value = this.extra[name];
    return typeof value === 'string' ? value : undefined;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** The message for a form field, when the error is a validation problem naming it. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldMessage(field) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const items: unknown[] = value;
  return items.flatMap((item) =>
    isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string' ? [{ field: item.field, message: item.message }] : [],
  );
}

/** Read a failed response; tolerates non-JSON bodies such as a reverse proxy's HTML error page. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch (_error: unknown) {
    // Not a problem document; fall through to a generic error built from the status line.
  }
  const headerRequestId = response.headers.get('x-request-id');
  if (isRecord(body) && typeof body.code === 'string') {
    const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : 'The request failed.';
    const requestId = typeof body.requestId === 'string' ? body.requestId : headerRequestId;
    return new ApiError(response.status, body.code, detail, requestId, readFieldErrors(body.errors), undefined, body);
  }
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`.trim(), headerRequestId);
}
