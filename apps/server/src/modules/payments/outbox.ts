import type { TransactionCallbackKind } from '@paygate/protocol';
import { type Kysely, sql } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import { notifyInTransaction } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { storedCallbackPayload } from '../callbacks/messages.js';
import { type TransactionRow, toCallbackPayload } from './views.js';

/**
 * Write a callback message for a transaction's new state, in the caller's database transaction —
 * so the change and the work it causes commit together (the callbacks worker delivers it). The
 * payload is the transaction as the API shows it, in its portable callback form (views.ts); a
 * payload outside the profile throws `NonPortableBodyError` and rolls the change back. `sequence`
 * orders a transaction's callbacks.
 */
export async function enqueueCallback(trx: Kysely<DB>, kind: TransactionCallbackKind, tx: TransactionRow): Promise<string> {
  const id = newId('msg');
  const next = await sql<{ n: number }>`select coalesce(max(sequence), 0) + 1 as n from callback_messages where transaction_id = ${tx.id}`.execute(trx);
  await trx
    .insertInto('callback_messages')
    .values({
      id,
      bp_id: tx.bp_id,
      kind,
      transaction_id: tx.id,
      sequence: Number(next.rows[0]?.n ?? 1),
      payload: storedCallbackPayload(toCallbackPayload(tx, kind)),
    })
    .execute();
  // The delivery is decided now, in the same transaction: an unset or disabled URL means no
  // callback of this kind (the message stays in the outbox for the record and for verification).
  const target = await trx
    .selectFrom('callback_urls')
    .select('url')
    .where('bp_id', '=', tx.bp_id)
    .where('kind', '=', kind)
    .where('enabled', '=', true)
    .executeTakeFirst();
  if (target) {
    await trx
      .insertInto('callback_deliveries')
      .values({
        id: newId('dlv'),
        message_id: id,
        bp_id: tx.bp_id,
        kind,
        url: target.url,
        transaction_id: tx.id,
        sequence: Number(next.rows[0]?.n ?? 1),
        status: 'pending',
      })
      .execute();
    await notifyInTransaction(trx, CHANNELS.callbacks, '');
  }
  return id;
}

/**
 * {@link enqueueCallback} for many transactions at once (a scanned batch): a fixed number of
 * statements whatever the count, in the caller's database transaction.
 */
export async function enqueueCallbacks(trx: Kysely<DB>, kind: TransactionCallbackKind, txs: readonly TransactionRow[]): Promise<void> {
  if (txs.length === 0) return;
  const ids = txs.map((t) => t.id);
  const previous = await trx
    .selectFrom('callback_messages')
    .select(['transaction_id', (eb) => eb.fn.max('sequence').as('last')])
    .where('transaction_id', 'in', ids)
    .groupBy('transaction_id')
    .execute();
  const last = new Map(previous.map((r) => [r.transaction_id, Number(r.last)]));
  const messages = txs.map((tx) => ({
    id: newId('msg'),
    bp_id: tx.bp_id,
    kind,
    transaction_id: tx.id,
    sequence: (last.get(tx.id) ?? 0) + 1,
    payload: storedCallbackPayload(toCallbackPayload(tx, kind)),
  }));
  for (let i = 0; i < messages.length; i += 2_000)
    await trx
      .insertInto('callback_messages')
      .values(messages.slice(i, i + 2_000))
      .execute();
  const targets = await trx
    .selectFrom('callback_urls')
    .select(['bp_id', 'url'])
    .where('bp_id', 'in', [...new Set(txs.map((t) => t.bp_id))])
    .where('kind', '=', kind)
    .where('enabled', '=', true)
    .execute();
  const urls = new Map(targets.map((t) => [t.bp_id, t.url]));
  const deliveries = messages.flatMap((m) => {
    const url = urls.get(m.bp_id);
    return url === undefined
      ? []
      : [{ id: newId('dlv'), message_id: m.id, bp_id: m.bp_id, kind, url, transaction_id: m.transaction_id, sequence: m.sequence, status: 'pending' as const }];
  });
  if (deliveries.length === 0) return;
  for (let i = 0; i < deliveries.length; i += 2_000)
    await trx
      .insertInto('callback_deliveries')
      .values(deliveries.slice(i, i + 2_000))
      .execute();
  await notifyInTransaction(trx, CHANNELS.callbacks, '');
}
