import { akashicSignature, canonicalJson, NonPortableBodyError, portableBodyViolations, verifyCallback } from '@paygate/protocol';
import { Paygate, PaygateApiError } from '@paygate/sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../../apps/server/src/modules/callbacks/delivery.js';
import { failChainPayout } from '../../apps/server/src/modules/payments/payout-transitions.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { CallbackReceiver, type Received } from '../support/receiver.js';
import { describeWithSdkPrograms, type SignedBody, sdkVerify } from '../support/sdk-verifiers.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n}.${Date.now()}.${++seq}@example.com`;
const KINDS = ['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout'] as const;
/** Every character identifier validation allows, and the longest identifier. */
const IDENTIFIER_ALL = 'AZaz09._:@-Mix.user_01:tag@host-x';
const IDENTIFIER_LONGEST = `${'z'.repeat(63)}9`;
/** A referenceId with every character its validation allows (`/` included). */
const REFERENCE_ALL = 'ref/2026:a@b.c-d_E9';
/** Node and chain messages are free text Paygate cannot refuse. */
const CHAIN_TEXT = 'execution reverted: balance < amount & "fee" \u2028 ü\n\tnonce=7 it\'s <script>';
const EXTERNAL_TRON = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';

async function codeAndField(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error: unknown) {
    if (!(error instanceof PaygateApiError)) throw error;
    const fields = error.problem?.errors?.map((e) => e.field) ?? [];
    return `${error.status} ${error.code} ${fields.join(',')}`;
  }
}

describeEachDatabase('callback bodies every AkashicPay SDK accepts', (kind) => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  const workers: CallbackDeliveryWorker[] = [];

  beforeAll(async () => {
    server = await createTestServer(kind, { allowHttpCallbacks: true });
    await server.listen();
    receiver = new CallbackReceiver();
    await receiver.start();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
  });
  afterAll(async () => {
    await receiver.stop();
    await server.close();
  });

  function startWorker(): Promise<void> {
    const s = server.services;
    const w = new CallbackDeliveryWorker(s.database, s.apiSecrets, s.audit, s.clock, createLogger('silent'), {
      retryScheduleMs: [0, 30, 30],
      batchSize: 50,
      requestsPerUrl: 4,
      pollIntervalMs: 20,
      allowedRanges: ['127.0.0.0/8'],
    });
    workers.push(w);
    return w.start();
  }

  /** A sandbox BP whose six callback URLs point at the shared receiver under `/<tag>/<kind>`. */
  async function newBp(tag: string) {
    const owner = new Agent(server.app);
    const bpId = (await owner.signUp(email(tag), `${tag} Ltd`)).activeBpId ?? '';
    const urls = Object.fromEntries(KINDS.map((k) => [k, { url: `${receiver.url}/${tag}/${k}` }]));
    const saved = await owner.request('PUT', `/api/bps/${bpId}/callbacks/settings`, { urls });
    expect(saved.statusCode, saved.body).toBe(200);
    const secret = (await owner.post(`/api/bps/${bpId}/api-secret/reveal`)).json().items[0].secret as string;
    const key = await issueKeyPair(owner, bpId);
    const sdk = Paygate.fromKeyFile(key.keyFile, { baseUrl: server.url, maxRetries: 0 });
    return { owner, bpId, secret, sdk, bp: { bpId, environment: 'sandbox' as const } };
  }

  const deposit = (sdk: Paygate, body: Record<string, unknown>) => sdk.request<{ id: string; status: string }>('POST', '/v1/sandbox/deposits', { body });

  describeWithSdkPrograms('through real Go and PHP', () => {
    // Two dozen deliveries and two compiler/interpreter runs: a budget a loaded machine can meet.
    it('every kind of callback the worker delivers — adversarial but allowed content included — verifies in Go and PHP', { timeout: 120_000 }, async () => {
      const alpha = await newBp('alpha');
      const beta = await newBp('beta');

      // Deposits: a deposit request with a referenceId on a token, the longest identifier on the
      // 18-decimal coin with an explicit (lower-case) sender, a simulated failure, a chain failure.
      const requested = await alpha.sdk.request<{ address: string }>('POST', '/v1/deposit-addresses', {
        body: { network: 'TRX-SHASTA', identifier: IDENTIFIER_ALL, referenceId: REFERENCE_ALL, requestedAmount: '1000', requestedCurrency: 'USDT' },
      });
      await deposit(alpha.sdk, { network: 'TRX-SHASTA', token: 'USDT', toAddress: requested.address, amount: '1000000.123456', outcome: 'confirm' });
      await deposit(alpha.sdk, {
        network: 'SEP',
        identifier: IDENTIFIER_LONGEST,
        amount: '5.000000000000000001',
        fromAddress: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
        outcome: 'confirm',
      });
      await deposit(alpha.sdk, { network: 'SEP', identifier: 'fails', amount: '1', outcome: 'fail' });
      const reverted = await deposit(alpha.sdk, { network: 'TRX-SHASTA', identifier: 'reverted', amount: '100', outcome: 'pending' });
      await server.services.payments.failDeposit(reverted.id, CHAIN_TEXT);

      // Payouts: confirmed, failed with a BP reason full of allowed punctuation, failed by the chain, and Layer 2.
      const payout = (referenceId: string, to = EXTERNAL_TRON) => alpha.sdk.payout({ referenceId, to, amount: '10.5', network: 'TRX-SHASTA', token: 'USDT' });
      const confirmed = await payout('payout/1:a@b.c-d_E');
      await alpha.sdk.request('POST', `/v1/sandbox/payouts/${confirmed.id}/confirm`);
      const refused = await payout('payout-2');
      await alpha.sdk.request('POST', `/v1/sandbox/payouts/${refused.id}/fail`, {
        body: { reason: 'Node said "nonce too low" \\ retry/later (#42); ok? 100% [x] {y} |~^`!$*+,' },
      });
      const dropped = await payout('payout-3');
      await server.services.payments.failPayout(dropped.id, CHAIN_TEXT);
      const betaAddress = await beta.sdk.request<{ address: string }>('POST', '/v1/deposit-addresses', {
        body: { network: 'TRX-SHASTA', identifier: 'beta-user' },
      });
      await payout('payout-l2', betaAddress.address);

      // Test callbacks of every kind.
      for (const k of KINDS) expect((await alpha.owner.post(`/api/bps/${alpha.bpId}/callbacks/test`, { kind: k })).statusCode).toBe(202);

      await startWorker();
      await receiver.waitFor(22, 60_000);
      // Verification round-trips, for a transaction callback and for a test callback.
      const firstDeposit = receiver.received.find((r) => r.path === '/alpha/deposit' && !r.body.includes('"test":true'));
      const firstTest = receiver.received.find((r) => r.path.startsWith('/alpha/') && r.body.includes('"test":true'));
      for (const r of [firstDeposit, firstTest]) await alpha.sdk.confirmCallback(String(r?.headers['webhook-id']), String(r?.headers.signature));
      await receiver.waitFor(24, 60_000);

      const received = [...receiver.received];
      const secretOf = (r: Received) => (r.path.startsWith('/beta/') ? beta.secret : alpha.secret);
      // Sanity: each one verifies with the SDK, is already in canonical form, and keeps to the profile.
      for (const r of received) {
        verifyCallback({ rawBody: r.body, headers: r.headers, secret: secretOf(r) });
        expect(canonicalJson(JSON.parse(r.body)), r.body).toBe(r.body);
        expect(portableBodyViolations(JSON.parse(r.body)), r.body).toEqual([]);
      }
      const shapes = new Set(
        received.map((r) => {
          const p = JSON.parse(r.body) as { layer?: string; test?: boolean };
          return `${String(r.headers['paygate-callback-type'])}${p.layer === undefined ? '' : `:${p.layer}`}${p.test === true ? ':test' : ''}`;
        }),
      );
      expect([...shapes].sort()).toEqual(
        [
          'deposit:L1',
          'deposit:L2',
          'pendingDeposit:L1',
          'failedDeposit:L1',
          'payout:L1',
          'payout:L2',
          'pendingPayout:L1',
          'failedPayout:L1',
          ...KINDS.map((k) => `${k}:L1:test`),
          'verification',
        ].sort(),
      );
      const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(bodies.filter((b) => 'internalFee' in b).length).toBeGreaterThanOrEqual(3); // two real deposits + the deposit test
      expect(bodies.some((b) => b.identifier === IDENTIFIER_ALL && b.referenceId === REFERENCE_ALL && typeof b.depositRequestId === 'string')).toBe(true);
      expect(bodies.some((b) => b.identifier === IDENTIFIER_LONGEST && b.fromAddress === '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed')).toBe(true);
      const chainReasons = bodies.filter((b) => typeof b.failureReason === 'string' && b.failureReason.startsWith('execution reverted'));
      expect(chainReasons.map((b) => b.failureReason)).toEqual([
        'execution reverted: balance ? amount ? "fee" ? nonce?7 it?s ?script?',
        'execution reverted: balance ? amount ? "fee" ? nonce?7 it?s ?script?',
      ]);

      // What each SDK's re-serialisation makes of the delivered bytes.
      const signed: SignedBody[] = received.map((r) => ({ secret: secretOf(r), body: r.body, signature: String(r.headers.signature) }));
      const [go, php] = await Promise.all([sdkVerify('go', signed), sdkVerify('php', signed)]);
      expect(go.map((v, i) => (v.match ? 'ok' : `${v.reserialized ?? v.error} ≠ ${received[i]?.body}`))).toEqual(received.map(() => 'ok'));
      expect(php.map((v, i) => (v.match ? 'ok' : `${v.reserialized ?? v.error} ≠ ${received[i]?.body}`))).toEqual(received.map(() => 'ok'));

      // The same delivered bodies, each given one thing the profile forbids and signed again as
      // Paygate would: the SDK programs break exactly where the SDKs break.
      const sample = bodies[0] ?? {};
      const broken = [
        { ...sample, internalFee: {} },
        { ...sample, identifier: 'a&b' },
        { ...sample, identifier: 'a\u2028b' },
        { ...sample, identifier: 'café' },
      ];
      const resigned = broken.map((p) => ({ secret: alpha.secret, body: canonicalJson(p), signature: akashicSignature(alpha.secret, p) }));
      const [goBroken, phpBroken] = await Promise.all([sdkVerify('go', resigned), sdkVerify('php', resigned)]);
      expect(goBroken.map((v) => v.match)).toEqual([true, false, false, true]);
      expect(phpBroken.map((v) => v.match)).toEqual([false, true, false, false]);
      for (const p of broken) expect(portableBodyViolations(p)).not.toEqual([]);
    });
  });

  it('text that a callback could not carry is refused at the API boundary, naming the field', async () => {
    const bp = await newBp('gamma');
    await deposit(bp.sdk, { network: 'TRX-SHASTA', token: 'USDT', identifier: 'funds', amount: '100', outcome: 'confirm' });
    const pending = await bp.sdk.payout({ referenceId: 'to-fail', to: EXTERNAL_TRON, amount: '1', network: 'TRX-SHASTA', token: 'USDT' });
    const fail = (reason: string) => codeAndField(bp.sdk.request('POST', `/v1/sandbox/payouts/${pending.id}/fail`, { body: { reason } }));
    for (const reason of [
      'a & b',
      'a < b',
      'a > b',
      "it's",
      'x = y',
      'café',
      'line\u2028separator',
      'tab\there',
      'new\nline',
      '😀',
      '',
      '   ',
      'x'.repeat(201),
    ])
      expect(await fail(reason), JSON.stringify(reason)).toBe('400 validation_failed body.reason');
    const dashboard = await bp.owner.post(`/api/bps/${bp.bpId}/sandbox/payouts/${pending.id}/fail`, { reason: '<b>' });
    expect([dashboard.statusCode, dashboard.json().code, dashboard.json().errors?.[0]?.field]).toEqual([400, 'validation_failed', 'body.reason']);
    // Refused means nothing happened: the payout is still pending.
    expect((await bp.sdk.getTransactionDetails(pending.id)).status).toBe('Pending');

    for (const fromAddress of ['<script>', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t&', 'T\u2028', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'])
      expect(await codeAndField(deposit(bp.sdk, { network: 'TRX-SHASTA', identifier: 'funds', amount: '5', fromAddress })), fromAddress).toBe(
        '400 address_invalid body.fromAddress',
      );
    for (const identifier of ['a&b', 'a<b', 'é', 'a\u2028b', 'a b'])
      expect(await codeAndField(deposit(bp.sdk, { network: 'TRX-SHASTA', identifier, amount: '5' })), identifier).toBe(
        '400 identifier_invalid body.identifier',
      );
    for (const referenceId of ['a&b', "o'neil", 'x=1', 'ü'])
      expect(await codeAndField(bp.sdk.payout({ referenceId, to: EXTERNAL_TRON, amount: '1', network: 'TRX-SHASTA', token: 'USDT' })), referenceId).toBe(
        '400 identifier_invalid body.referenceId',
      );
  });

  it('a chain payout failing with a node or signer message (newlines, quotes, non-ASCII) is recorded with a portable reason', async () => {
    const bp = await newBp('epsilon');
    await deposit(bp.sdk, { network: 'TRX-SHASTA', token: 'USDT', identifier: 'funds', amount: '50', outcome: 'confirm' });
    const pending = await bp.sdk.payout({ referenceId: 'chain-1', to: EXTERNAL_TRON, amount: '5', network: 'TRX-SHASTA', token: 'USDT' });
    const db = server.services.database.db;
    // Hand the payout to the chain pipeline's bookkeeping, as a node-backed network does (reserved: the 1 USDT fee).
    await db.insertInto('payouts').values({ transaction_id: pending.id, network: 'TRX-SHASTA', state: 'queued', reserved_fee: '1000000' }).execute();
    const message =
      'The contract function "transfer" reverted.\n\nContract Call:\n  to: 0xdEaD… amount=5000000\n\nDetails: sender\'s balance < value & fee\nVersion: viem@2';
    const failed = await failChainPayout(db, server.services.clock, pending.id, message, null);
    expect(failed.status).toBe('Failed');
    expect(failed.failure_reason).toBe(
      'The contract function "transfer" reverted. Contract Call: to: 0xdEaD? amount?5000000 Details: sender?s balance ? value ? fee Version: viem@2',
    );
    const stored = await db
      .selectFrom('callback_messages')
      .select('payload')
      .where('transaction_id', '=', pending.id)
      .where('kind', '=', 'failedPayout')
      .executeTakeFirstOrThrow();
    expect(portableBodyViolations(stored.payload)).toEqual([]);
    expect(stored.payload).toMatchObject({ callbackType: 'failedPayout', failureReason: failed.failure_reason });
  });

  it('a body outside the profile is a bug that fails loudly: the outbox refuses it and the state change rolls back', async () => {
    const bp = await newBp('delta');
    const tx = await deposit(bp.sdk, { network: 'SEP', identifier: 'legit', amount: '2', outcome: 'pending' });
    const db = server.services.database.db;
    // A row that slipped past validation (a bug, or data written before it existed).
    await db.updateTable('transactions').set({ identifier: 'caf\u00e9 & <b>' }).where('id', '=', tx.id).execute();
    const messagesBefore = await db.selectFrom('callback_messages').select('id').where('transaction_id', '=', tx.id).execute();
    const error = await server.services.payments.addConfirmations(tx.id, 12).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NonPortableBodyError);
    expect(error instanceof NonPortableBodyError ? error.violations.map((v) => `${v.path} ${v.rule}`) : []).toEqual(['$.identifier text']);
    const after = await db.selectFrom('transactions').select(['status', 'confirmations']).where('id', '=', tx.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'Pending', confirmations: 0 });
    expect(await db.selectFrom('callback_messages').select('id').where('transaction_id', '=', tx.id).execute()).toEqual(messagesBefore);
    const ledger = await db.selectFrom('ledger_entries').select('reason').where('transaction_id', '=', tx.id).execute();
    expect(ledger.map((l) => l.reason)).toEqual(['deposit.pending']);
  });
});
