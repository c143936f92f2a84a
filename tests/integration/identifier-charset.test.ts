import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../apps/server/src/lib/errors.js';
import { describeEachDatabase } from '../support/databases.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

/** docs/errors.md, `identifier_invalid`: exactly ASCII letters, digits and `. _ : @ -` (plus `/` in referenceId). */
describeEachDatabase('identifier and referenceId characters (as docs/errors.md lists them)', (kind) => {
  let server: TestServer;
  let bp: { bpId: string; environment: 'sandbox' };
  beforeAll(async () => {
    server = await createTestServer(kind);
    bp = { bpId: (await new Agent(server.app).signUp(`ids.${Date.now()}@example.com`)).activeBpId ?? '', environment: 'sandbox' };
  });
  afterAll(async () => server.close());

  const address = (input: { identifier: string; referenceId?: string }) =>
    server.services.payments.getDepositAddress(bp, { network: 'SEP', ...input }).then(
      () => 'ok',
      (error: unknown) => (error instanceof AppError ? error.code : String(error)),
    );

  it('accepts every listed character, at both length limits', async () => {
    expect(await address({ identifier: 'AZaz09._:@-' })).toBe('ok');
    expect(await address({ identifier: 'x'.repeat(64) })).toBe('ok');
    expect(await address({ identifier: 'user-1', referenceId: 'order/2026:01@shop_A.b-c' })).toBe('ok');
    expect(await address({ identifier: 'user-2', referenceId: 'r'.repeat(128) })).toBe('ok');
  });

  it('refuses non-ASCII letters and every other character, and the lengths beyond the limits', async () => {
    for (const identifier of ['josé', 'straße', '用户', 'Ａ', 'a b', 'a+b', 'a#b', 'a%b', "a'b", 'a/b', 'a\tb', '', 'x'.repeat(65)]) {
      expect(await address({ identifier }), JSON.stringify(identifier)).toBe('identifier_invalid');
    }
    for (const referenceId of ['ordér', 'a b', 'a?b', '', 'r'.repeat(129)]) {
      expect(await address({ identifier: 'user-3', referenceId }), JSON.stringify(referenceId)).toBe('identifier_invalid');
    }
  });
});
