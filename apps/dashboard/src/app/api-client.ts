import { ApiError, apiErrorFrom } from './api-error';
import { currentCsrfToken } from './csrf-token';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers = new Headers({ accept: 'application/json, application/problem+json' });
  // The server rejects an empty body labelled JSON as malformed, so the type goes only with a body.
  if (body !== undefined) headers.set('content-type', 'application/json');
  const csrf = currentCsrfToken();
  if (method !== 'GET' && csrf !== null) headers.set('x-csrf-token', csrf);

  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error: unknown) {
    throw new ApiError(0, 'network_error', 'Could not reach the Paygate server. Check your connection and try again.', null, [], { cause: error });
  }
  if (!response.ok) throw await apiErrorFrom(response);
  return response;
}

async function requestJson<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  // The server validates its responses against its OpenAPI schemas; the types here mirror them.
  return (await response.json()) as T;
}

async function requestEmpty(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

/** Same-origin calls to the Paygate API; failures throw `ApiError`. */
export const api = {
  get: <T>(path: string) => requestJson<T>('GET', path),
  post: <T>(path: string, body?: unknown) => requestJson<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => requestJson<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => requestJson<T>('PATCH', path, body),
  /** For routes that answer 204 No Content. */
  postEmpty: (path: string, body?: unknown) => requestEmpty('POST', path, body),
  delete: (path: string) => requestEmpty('DELETE', path),
};

/** Build a query string, leaving out empty values. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
