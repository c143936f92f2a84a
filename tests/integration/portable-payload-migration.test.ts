import { portableBodyViolations } from '@paygate/protocol';
import { expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../apps/server/src/db/migrate.js';
import { createTestDatabase, describeEachDatabase } from '../support/databases.js';

/** A payload as the outbox wrote it before the portable profile: nulls and an empty internalFee. */
const LEGACY = {
  id: 'tx_legacy',
  type: 'Withdrawal',
  status: 'Pending',
  amount: '10.5',
  fromAddress: null,
  tokenSymbol: 'USDT',
  txHash: 'ab12',
  l2TxnHash: null,
  internalFee: {},
  referenceId: 'payout-1',
  confirmations: 0,
  settled: true,
  callbackType: 'pendingPayout',
};
const PORTABLE = {
  id: 'tx_legacy',
  type: 'Withdrawal',
  status: 'Pending',
  amount: '10.5',
  tokenSymbol: 'USDT',
  txHash: 'ab12',
  referenceId: 'payout-1',
  confirmations: 0,
  settled: true,
  callbackType: 'pendingPayout',
};
const WITH_FEE = { ...PORTABLE, type: 'Deposit', internalFee: { deposit: '0.1' }, callbackType: 'deposit' };

describeEachDatabase('migration 0013: unsent callback messages get portable payloads', (kind) => {
  // Migrating a fresh embedded database from scratch takes tens of seconds on a loaded machine.
  it('rewrites messages nobody has been sent yet and keeps every body that went out', { timeout: 120_000 }, async () => {
    const t = await createTestDatabase(kind, { migrate: false });
    try {
      const before = loadMigrations().filter((m) => m.version < 13);
      await migrate(t.database.db, before);
      const db = t.database.db;
      await db.insertInto('bps').values({ id: 'bp_mig', name: 'Migration Ltd' }).execute();
      const cases = [
        { id: 'msg_no_delivery', payload: LEGACY, delivery: null },
        { id: 'msg_never_sent', payload: LEGACY, delivery: { status: 'pending', attempts: 0 } },
        { id: 'msg_retrying', payload: LEGACY, delivery: { status: 'pending', attempts: 2 } },
        { id: 'msg_in_flight', payload: LEGACY, delivery: { status: 'delivering', attempts: 0 } },
        { id: 'msg_delivered', payload: LEGACY, delivery: { status: 'succeeded', attempts: 1 } },
        { id: 'msg_given_up', payload: LEGACY, delivery: { status: 'failed', attempts: 10 } },
        { id: 'msg_portable', payload: WITH_FEE, delivery: { status: 'pending', attempts: 0 } },
      ] as const;
      for (const [i, c] of cases.entries()) {
        await db
          .insertInto('callback_messages')
          .values({ id: c.id, bp_id: 'bp_mig', kind: 'pendingPayout', transaction_id: null, sequence: i + 1, payload: JSON.stringify(c.payload) })
          .execute();
        if (c.delivery !== null)
          await db
            .insertInto('callback_deliveries')
            .values({
              id: `dlv_${c.id.slice(4)}`,
              message_id: c.id,
              bp_id: 'bp_mig',
              kind: 'pendingPayout',
              url: 'https://bp.example/hook',
              transaction_id: null,
              sequence: i + 1,
              status: c.delivery.status,
              attempts: c.delivery.attempts,
            })
            .execute();
      }

      const applied = await migrate(db);
      expect(applied.map((m) => m.version)).toContain(13);
      const rows = await db.selectFrom('callback_messages').select(['id', 'payload']).where('bp_id', '=', 'bp_mig').execute();
      const payloadOf = new Map(rows.map((r) => [r.id, r.payload]));
      expect(payloadOf.get('msg_no_delivery')).toEqual(PORTABLE);
      expect(payloadOf.get('msg_never_sent')).toEqual(PORTABLE);
      expect(portableBodyViolations(payloadOf.get('msg_never_sent'))).toEqual([]);
      for (const sent of ['msg_retrying', 'msg_in_flight', 'msg_delivered', 'msg_given_up']) expect(payloadOf.get(sent), sent).toEqual(LEGACY);
      expect(payloadOf.get('msg_portable')).toEqual(WITH_FEE);
    } finally {
      await t.destroy();
    }
  });
});
