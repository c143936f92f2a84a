/**
 * Paths that carry a secret in a segment: the invitation link (`/invite/<token>`, served to the
 * browser as the dashboard), the API calls the invitation page makes with its token, and the
 * hosted deposit page (`/pay/<token>`, its status under it; not its `/pay/assets/`).
 */
const SECRET_PATH_SEGMENTS: readonly RegExp[] = [/^(\/invite\/)[^/?#]+/, /^(\/api\/invitations\/)[^/?#]+/, /^(\/pay\/)(?!assets\/)[^/?#]+/];

/** Query parameters whose values are secrets, whatever route they arrive on. */
const SECRET_QUERY_NAME = /token|secret|password|passwd|signature|otp|code|api_?key|private/i;

export const REDACTED = '[redacted]';

/**
 * A request URL as it may be logged: secret path segments and secret query values replaced by
 * `[redacted]`. The route stays recognisable (`/api/invitations/[redacted]/accept`).
 *
 * @example redactUrl('/invite/abc?x=1&token=t') // '/invite/[redacted]?x=1&token=[redacted]'
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  for (const pattern of SECRET_PATH_SEGMENTS) path = path.replace(pattern, `$1${REDACTED}`);
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && SECRET_QUERY_NAME.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch (_error: unknown) {
    return value;
  }
}
