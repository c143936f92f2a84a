import { akashicSignature, canonicalJson } from '@paygate/protocol';
import { type Kysely, sql } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import { notifyInTransaction } from '../../db/database.js';
import type { CallbackUrlKind, DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { BpAccess, RequestOrigin } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';
import { sampleCallbackPayload } from '../payments/sample-callbacks.js';
import type { ApiSecretsService } from './api-secrets.js';
import { storedCallbackPayload, verificationPayload } from './messages.js';

export interface DeliveryFilters {
  readonly kind?: string | undefined;
  readonly status?: 'pending' | 'delivering' | 'succeeded' | 'failed' | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Only the deliveries about one transaction. */
  readonly transactionId?: string | undefined;
}

export interface DeliverySummary {
  readonly id: string;
  readonly messageId: string;
  readonly kind: string;
  readonly url: string;
  readonly transactionId: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: Date | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

/**
 * The delivery log (what was sent where, every attempt), resends, and the verification round-trip
 * a BP uses to refuse forged callbacks: "did Paygate really send me this?"
 */
export class DeliveriesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly secrets: ApiSecretsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(bpId: string, f: DeliveryFilters, limit: number, cursor?: string): Promise<{ items: DeliverySummary[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('callback_deliveries').selectAll().where('bp_id', '=', bpId);
    if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('created_at', '<', f.to);
    if (f.transactionId !== undefined) q = q.where('transaction_id', '=', f.transactionId);
    if (cursor !== undefined) q = q.where('id', '<', cursor);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(
      (r): DeliverySummary => ({
        id: r.id,
        messageId: r.message_id,
        kind: r.kind,
        url: r.url,
        transactionId: r.transaction_id,
        status: r.status,
        attempts: r.attempts,
        lastStatusCode: r.last_status_code,
        lastError: r.last_error,
        nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
        createdAt: r.created_at,
        completedAt: r.completed_at,
      }),
    );
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  /** One delivery with the exact request body and every attempt (request and response headers). */
  async detail(bpId: string, deliveryId: string) {
    const row = await this.db
      .selectFrom('callback_deliveries as d')
      .innerJoin('callback_messages as m', 'm.id', 'd.message_id')
      .selectAll('d')
      .select(['m.payload'])
      .where('d.bp_id', '=', bpId)
      .where('d.id', '=', deliveryId)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `No delivery ${deliveryId}.`);
    const attempts = await this.db.selectFrom('callback_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
    return { row, body: canonicalJson(row.payload), attempts };
  }

  /** Send a delivery again from scratch (a new attempt series, same message and webhook-id). Audited. */
  async resend(access: BpAccess, deliveryId: string, origin: RequestOrigin): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('callback_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: this.clock.now(), completed_at: null, locked_until: null })
        .where('id', '=', deliveryId)
        .where('bp_id', '=', access.bpId)
        .where('status', 'in', ['failed', 'succeeded'])
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new AppError('not_found', `No finished delivery ${deliveryId} (pending ones are already being retried).`);
      await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'callback.resent',
        target: { type: 'callback_delivery', id: deliveryId },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await notifyInTransaction(trx, CHANNELS.callbacks, '');
    });
  }

  /** Requeue every failed delivery created since `since` (after fixing an endpoint). Audited. */
  async recoverFailed(access: BpAccess, since: Date, origin: RequestOrigin): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('callback_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: this.clock.now(), completed_at: null, locked_until: null })
        .where('bp_id', '=', access.bpId)
        .where('status', '=', 'failed')
        .where('created_at', '>=', since)
        .executeTakeFirst();
      const count = Number(result.numUpdatedRows);
      await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'callback.recovered',
        target: { type: 'bp', id: access.bpId },
        details: { since: since.toISOString(), count },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      if (count > 0) await notifyInTransaction(trx, CHANNELS.callbacks, '');
      return count;
    });
  }

  /**
   * Send a sample callback of `kind` to its configured URL (enabled or not), so a BP can check its
   * endpoint and signature verification. The payload is a sample transaction in that kind's state,
   * built like a real one and marked `"test": true`; it goes through the normal delivery (log,
   * retries). Audited.
   */
  async sendTest(access: BpAccess, kind: CallbackUrlKind, origin: RequestOrigin): Promise<{ messageId: string; deliveryId: string }> {
    const target = await this.db.selectFrom('callback_urls').select('url').where('bp_id', '=', access.bpId).where('kind', '=', kind).executeTakeFirst();
    if (!target)
      throw new AppError('callback_url_invalid', `No ${kind} callback URL is set; save one first.`, {
        errors: [{ field: 'body.kind', message: 'No URL for this kind' }],
      });
    const payload = sampleCallbackPayload(kind, this.clock.now());
    return this.db.transaction().execute(async (trx) => {
      const messageId = newId('msg');
      const deliveryId = newId('dlv');
      await trx
        .insertInto('callback_messages')
        .values({ id: messageId, bp_id: access.bpId, kind: 'test', transaction_id: null, sequence: 1, payload: storedCallbackPayload(payload) })
        .execute();
      await trx
        .insertInto('callback_deliveries')
        .values({ id: deliveryId, message_id: messageId, bp_id: access.bpId, kind, url: target.url, transaction_id: null, sequence: 1, status: 'pending' })
        .execute();
      await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'callback.test_sent',
        target: { type: 'callback_message', id: messageId },
        details: { kind },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await notifyInTransaction(trx, CHANNELS.callbacks, '');
      return { messageId, deliveryId };
    });
  }

  /**
   * The verification round-trip: the BP asks whether Paygate sent the callback with this
   * webhook-id (and, optionally, this Signature value). Answers with the authoritative payload and
   * sends a confirming `verification` callback to the URL the original went to.
   */
  async verify(bpId: string, webhookId: string, signature: string | undefined): Promise<{ payload: unknown; kind: string; verificationId: string | null }> {
    const message = await this.db.selectFrom('callback_messages').selectAll().where('id', '=', webhookId).where('bp_id', '=', bpId).executeTakeFirst();
    const delivery =
      message === undefined
        ? undefined
        : await this.db.selectFrom('callback_deliveries').select(['url']).where('message_id', '=', message.id).executeTakeFirst();
    if (message === undefined || delivery === undefined) {
      throw new AppError(
        'callback_unknown',
        `Paygate did not send a callback ${webhookId} to you. Treat the request that carried it as forged: do not credit anything.`,
      );
    }
    if (signature !== undefined) {
      const candidates = await this.#recentSecrets(bpId);
      const matches = candidates.some((secret) => akashicSignature(secret, message.payload) === signature.trim().toLowerCase());
      if (!matches) {
        throw new AppError(
          'callback_mismatch',
          `Callback ${webhookId} exists, but the Signature you received is not the one Paygate computed for it: the body or signature you hold was altered. Do not act on it.`,
        );
      }
    }
    const verificationId = await this.db.transaction().execute(async (trx) => {
      const id = newId('msg');
      const next = await sql<{
        n: number;
      }>`select coalesce(max(sequence), 0) + 1 as n from callback_messages where transaction_id = ${message.transaction_id}`.execute(trx);
      const sequence = Number(next.rows[0]?.n ?? 1);
      await trx
        .insertInto('callback_messages')
        .values({
          id,
          bp_id: bpId,
          kind: 'verification',
          transaction_id: message.transaction_id,
          sequence,
          payload: storedCallbackPayload(verificationPayload(message, this.clock.now())),
        })
        .execute();
      await trx
        .insertInto('callback_deliveries')
        .values({
          id: newId('dlv'),
          message_id: id,
          bp_id: bpId,
          kind: 'verification',
          url: delivery.url,
          transaction_id: message.transaction_id,
          sequence,
          status: 'pending',
        })
        .execute();
      await notifyInTransaction(trx, CHANNELS.callbacks, '');
      return id;
    });
    return { payload: message.payload, kind: message.kind, verificationId };
  }

  /** Secrets that may have signed a callback sent recently: the active ones and those ended in the last 7 days. */
  async #recentSecrets(bpId: string): Promise<string[]> {
    return this.secrets.secretsSince(bpId, new Date(this.clock.now().getTime() - 7 * 86_400_000));
  }
}
