/**
 * The session's CSRF token. The session cookie is httpOnly, so the token comes from the session
 * document; the server rejects any mutation that does not echo it in `x-csrf-token`.
 */
let token: string | null = null;

export function rememberCsrfToken(next: string | null): void {
  token = next;
}

export function currentCsrfToken(): string | null {
  return token;
}
