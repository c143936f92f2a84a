import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoginThrottle } from '../../apps/server/src/modules/accounts/throttle.js';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp.js';
import { CredentialProbe } from '../support/credential-probe.js';
import { describeEachDatabase } from '../support/databases.js';
import { HttpAgent } from '../support/http-agent.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery';
/** account + IP: 5 failures per 15 minutes (docs/accounts.md). */
const LIMIT = 5;
const LOCK_SECONDS = 900;

let counter = 0;
const email = (name: string) => `${name}.${Date.now()}.${++counter}@example.com`;

interface Outcome {
  readonly value: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: number | null;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeEachDatabase('log-in throttling under parallel attempts', (kind) => {
  let server: TestServer;
  const clock = new TestClock();
  const probe = new CredentialProbe();

  beforeAll(async () => {
    server = await createTestServer(kind, { clock, credentialChecks: probe });
    await server.listen();
  });
  afterAll(async () => server.close());

  async function send(path: string, body: Record<string, unknown>, value: string, headers: Record<string, string> = {}): Promise<Outcome> {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { code?: string };
    const retryAfter = response.headers.get('retry-after');
    return { value, status: response.status, code: json.code, retryAfter: retryAfter === null ? null : Number(retryAfter) };
  }

  /**
   * Fire `wrong` attempts all at once over real sockets while every evaluation is held, wait until
   * each one was decided (refused attempts have answered, admitted ones sit in an evaluation), then
   * send the right one last — while the admitted attempts are still running.
   */
  async function burst(attempt: (value: string) => Promise<Outcome>, wrong: readonly string[], right: string) {
    probe.clear();
    probe.hold();
    let answered = 0;
    const runs = wrong.map((value) =>
      attempt(value).then((outcome) => {
        answered += 1;
        return outcome;
      }),
    );
    try {
      await until(() => answered + probe.evaluations.length === wrong.length, 'every parallel attempt to be admitted or refused');
      const evaluatedDuringBurst = probe.evaluations.length;
      // Checked here, before the last attempt: were more admitted, it would be held like them.
      expect(evaluatedDuringBurst, 'attempts admitted to evaluation').toBe(LIMIT);
      const last = await attempt(right);
      probe.release();
      return { outcomes: await Promise.all(runs), last, evaluatedDuringBurst };
    } finally {
      probe.release();
    }
  }

  function expectRefusals(outcomes: readonly Outcome[], count: number): void {
    const refused = outcomes.filter((o) => o.status === 429);
    expect(refused).toHaveLength(count);
    for (const o of refused) {
      expect(o.code).toBe('too_many_attempts');
      expect(o.retryAfter).toBeGreaterThan(0);
      expect(o.retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
    }
  }

  it('200 parallel wrong passwords for one account from one IP: only 5 are evaluated, the rest and the real password get 429', async () => {
    const address = email('burst');
    await new Agent(server.app).signUp(address);
    const login = (password: string) => send('/api/auth/login', { email: address, password }, password);
    const wrong = Array.from({ length: 199 }, (_, i) => `wrong guess number ${i}`);

    const { outcomes, last, evaluatedDuringBurst } = await burst(login, wrong, PASSWORD);

    expect(evaluatedDuringBurst).toBe(LIMIT);
    // Nothing else was evaluated afterwards either: not the real password, not a refused guess.
    expect(probe.evaluations).toHaveLength(LIMIT);
    expect(probe.evaluations.map((e) => e.value)).not.toContain(PASSWORD);
    const evaluated = new Set(probe.evaluations.map((e) => e.value));
    for (const o of outcomes) expect(o.status, o.value).toBe(evaluated.has(o.value) ? 401 : 429);
    expect(outcomes.filter((o) => o.status === 401).every((o) => o.code === 'invalid_credentials')).toBe(true);
    expectRefusals(outcomes, 199 - LIMIT);
    expect(last).toMatchObject({ status: 429, code: 'too_many_attempts' });
    expect(last.retryAfter).toBeGreaterThan(LOCK_SECONDS - 60);

    // The lock holds after the burst, and ends with its window.
    expect((await login(PASSWORD)).status).toBe(429);
    clock.advance(LOCK_SECONDS + 1);
    expect((await login(PASSWORD)).status).toBe(200);
  });

  it('40 parallel wrong re-authentications of one session: 5 evaluated, the rest and the right password get 429', async () => {
    const address = email('reauth-burst');
    const agent = new HttpAgent(server.url);
    await agent.call('POST', '/api/auth/signup', { email: address, password: PASSWORD, name: 'R', businessName: 'Reauth Ltd' });
    const reauth = (password: string) => send('/api/auth/reauth', { password }, password, { cookie: agent.cookie, 'x-csrf-token': agent.csrf });
    const wrong = Array.from({ length: 39 }, (_, i) => `not my password ${i}`);

    const { outcomes, last, evaluatedDuringBurst } = await burst(reauth, wrong, PASSWORD);

    expect(evaluatedDuringBurst).toBe(LIMIT);
    expect(probe.evaluations).toHaveLength(LIMIT);
    const evaluated = new Set(probe.evaluations.map((e) => e.value));
    for (const o of outcomes) expect(o.status, o.value).toBe(evaluated.has(o.value) ? 401 : 429);
    expect(outcomes.filter((o) => o.status === 401).every((o) => o.code === 'reauth_invalid')).toBe(true);
    expectRefusals(outcomes, 39 - LIMIT);
    expect(last).toMatchObject({ status: 429, code: 'too_many_attempts' });
    // The same account is locked for log-in from this address too.
    expect((await send('/api/auth/login', { email: address, password: PASSWORD }, PASSWORD)).status).toBe(429);
    clock.advance(LOCK_SECONDS + 1);
  });

  /** `n` distinct six-digit codes that are wrong now (none matches the current step or its ±1 drift window). */
  function wrongCodes(secret: string, n: number): string[] {
    const near = new Set([-30, 0, 30].map((s) => totpCodeAt(secret, new Date(clock.now().getTime() + s * 1000))));
    const codes = new Set<string>();
    for (let i = 0; codes.size < n; i++) {
      const code = String((i * 7919 + 123) % 1_000_000).padStart(6, '0');
      if (!near.has(code)) codes.add(code);
    }
    return [...codes];
  }

  it('40 parallel two-factor codes (with the right password): 5 codes evaluated, the rest and the right code get 429', async () => {
    const address = email('totp-burst');
    const agent = new Agent(server.app);
    await agent.signUp(address);
    const { secret } = (await agent.post('/api/me/totp/setup')).json() as { secret: string };
    expect((await agent.post('/api/me/totp/enable', { code: totpCodeAt(secret, clock.now()) })).statusCode).toBe(204);
    clock.advance(30);
    const rightCode = totpCodeAt(secret, clock.now());
    const login = (totpCode: string) => send('/api/auth/login', { email: address, password: PASSWORD, totpCode }, totpCode);

    const { outcomes, last, evaluatedDuringBurst } = await burst(login, wrongCodes(secret, 39), rightCode);

    expect(evaluatedDuringBurst).toBe(LIMIT);
    expect(probe.count('password')).toBe(LIMIT);
    expect(probe.count('totp')).toBe(LIMIT);
    const evaluated = new Set(probe.evaluations.filter((e) => e.kind === 'totp').map((e) => e.value));
    expect(evaluated.has(rightCode)).toBe(false);
    for (const o of outcomes) expect(o.status, o.value).toBe(evaluated.has(o.value) ? 401 : 429);
    expect(outcomes.filter((o) => o.status === 401).every((o) => o.code === 'totp_invalid')).toBe(true);
    expectRefusals(outcomes, 39 - LIMIT);
    expect(last).toMatchObject({ status: 429, code: 'too_many_attempts' });

    // Re-authentication by code is throttled the same way, per account and address.
    clock.advance(LOCK_SECONDS + 1);
    const reauth = (totpCode: string) => send('/api/auth/reauth', { totpCode }, totpCode, { cookie: agent.cookie ?? '', 'x-csrf-token': agent.csrf ?? '' });
    const second = await burst(reauth, wrongCodes(secret, 39), totpCodeAt(secret, clock.now()));
    expect(second.evaluatedDuringBurst).toBe(LIMIT);
    expect(probe.count('totp')).toBe(LIMIT);
    expectRefusals(second.outcomes, 39 - LIMIT);
    expect(second.last.status).toBe(429);
    clock.advance(LOCK_SECONDS + 1);
  });

  it('a success forgets the failures counted before it, but not attempts admitted while it ran', async () => {
    const address = email('reset');
    await new Agent(server.app).signUp(address);
    const login = (password: string) => send('/api/auth/login', { email: address, password }, password);
    for (let i = 0; i < 3; i++) expect((await login(`typo ${i} of mine`)).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(200);
    // The three typos are forgotten: a full five failures are allowed again, then the lock.
    for (let i = 0; i < LIMIT; i++) expect((await login(`guess ${i} after`)).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(429);
    clock.advance(LOCK_SECONDS + 1);

    // Now the race: the right password is admitted first, four guesses while it is still being checked.
    probe.clear();
    probe.hold();
    const success = login(PASSWORD);
    await until(() => probe.evaluations.length === 1, 'the right password to be admitted');
    const guesses = Array.from({ length: LIMIT - 1 }, (_, i) => login(`concurrent guess ${i}`));
    await until(() => probe.evaluations.length === LIMIT, 'the guesses to be admitted');
    probe.release();
    expect((await success).status).toBe(200);
    expect((await Promise.all(guesses)).map((o) => o.status)).toEqual([401, 401, 401, 401]);
    // The four guesses that ran alongside the success still count: one more failure locks.
    expect((await login('one more guess')).status).toBe(401);
    expect((await login('and another one')).status).toBe(429);
    clock.advance(LOCK_SECONDS + 1);
  });

  it('the right password without the second factor is not counted as a failure', async () => {
    const address = email('totp-required');
    const agent = new Agent(server.app);
    await agent.signUp(address);
    const { secret } = (await agent.post('/api/me/totp/setup')).json() as { secret: string };
    expect((await agent.post('/api/me/totp/enable', { code: totpCodeAt(secret, clock.now()) })).statusCode).toBe(204);
    const login = () => send('/api/auth/login', { email: address, password: PASSWORD }, PASSWORD);
    for (let i = 0; i < LIMIT * 2; i++) expect(await login()).toMatchObject({ status: 401, code: 'totp_required' });
    // …while a wrong password still is.
    for (let i = 0; i < LIMIT; i++) expect((await send('/api/auth/login', { email: address, password: `wrong ${i} pw` }, '')).status).toBe(401);
    expect((await login()).status).toBe(429);
    clock.advance(LOCK_SECONDS + 1);
  });

  it('the throttle alone admits exactly the limit out of 200 concurrent attempts, per key', async () => {
    const throttle = new LoginThrottle(server.services.database.db);
    const address = email('direct');
    const now = clock.now();
    const decisions = await Promise.all(Array.from({ length: 200 }, () => throttle.admit(address, '192.0.2.7', now)));
    expect(decisions.filter((d) => d.admitted)).toHaveLength(LIMIT);
    const positions = decisions.flatMap((d) => (d.admitted ? [d.counts[0]?.position ?? 0] : [])).sort((a, b) => a - b);
    expect(positions).toEqual([1, 2, 3, 4, 5]);
    // From another address the same account has its own (account+IP) budget, within the account's 20.
    const elsewhere = await Promise.all(Array.from({ length: 40 }, (_, i) => throttle.admit(address, `198.51.100.${i}`, now)));
    expect(elsewhere.filter((d) => d.admitted)).toHaveLength(20 - LIMIT);
    const row = await server.services.database.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', `account_ip:${address}|192.0.2.7`)
      .executeTakeFirstOrThrow();
    expect(row.locked_until?.getTime()).toBe(now.getTime() + LOCK_SECONDS * 1000);
  });
});
