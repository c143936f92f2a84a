/** Log in through the dashboard API the way a browser would (cookie + CSRF). */
export class HttpAgent {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), cookie: this.cookie, 'x-csrf-token': this.csrf },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0] ?? '';
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    if (typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    return json;
  }
}
