import { type Kysely, sql } from 'kysely';
import type { DB } from '../../apps/server/src/db/schema.js';

/**
 * Write `count` due deposit callbacks for one BP, as the payments core's outbox leaves them
 * (messages and their pending deliveries), in two statements — for crash, restart and load runs.
 * Ids are `msg_<tag>…` / `dlv_<tag>…`, zero-padded to 30 characters and numbered from 1.
 *
 * @example
 * await seedDeliveryBacklog(db, { bpId, url: `${receiver.url}/hook`, count: 20_000, tag: 'crash' });
 */
export async function seedDeliveryBacklog(db: Kysely<DB>, input: { bpId: string; url: string; count: number; tag: string }): Promise<void> {
  const width = 30 - 4 - input.tag.length;
  await sql`
    insert into callback_messages (id, bp_id, kind, transaction_id, sequence, payload)
    select ${`msg_${input.tag}`} || lpad(g::text, ${width}, '0'), ${input.bpId}, 'deposit', null, 1, jsonb_build_object('n', g, 'amount', '1')
    from generate_series(1, ${input.count}) g`.execute(db);
  await sql`
    insert into callback_deliveries (id, message_id, bp_id, kind, url, transaction_id, sequence, status)
    select ${`dlv_${input.tag}`} || lpad(g::text, ${width}, '0'), ${`msg_${input.tag}`} || lpad(g::text, ${width}, '0'), ${input.bpId}, 'deposit', ${input.url}, null, 1, 'pending'
    from generate_series(1, ${input.count}) g`.execute(db);
}
