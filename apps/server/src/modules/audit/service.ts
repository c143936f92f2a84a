import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

/** Who did it. `label` is what people read in the log (an e-mail, a key id, "Paygate"). */
export interface AuditActor {
  readonly type: 'user' | 'api_key' | 'system';
  readonly id: string | null;
  readonly label: string;
}

export interface AuditEntry {
  readonly bpId: string;
  readonly actor: AuditActor;
  /** Dotted verb, e.g. `member.invited`, `keypair.refreshed`. */
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string | null };
  readonly details?: Readonly<Record<string, unknown>>;
  readonly requestId?: string | null;
  readonly ip?: string | null;
}

export interface AuditRecord {
  readonly id: string;
  readonly action: string;
  readonly actor: AuditActor;
  readonly target: { readonly type: string; readonly id: string | null };
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly createdAt: Date;
}

export interface TeamNotice {
  readonly bpId: string;
  readonly severity?: 'info' | 'warning' | 'critical';
  readonly title: string;
  readonly body: string;
  readonly link?: string | null;
  readonly auditId?: string | null;
}

export interface NotificationView {
  readonly id: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly createdAt: Date;
  readonly read: boolean;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next (older) page; null when this was the last. */
  readonly nextCursor: string | null;
}

/**
 * The audit log and team notifications. Writes take the caller's transaction (`executor`) so a
 * security change and its record commit together or not at all.
 */
export class AuditService {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Record one security-relevant change inside the caller's transaction.
   *
   * @example
   * await db.transaction().execute(async (trx) => {
   *   await trx.updateTable('memberships').set({ role }).where(...).execute();
   *   await audit.record(trx, { bpId, actor, action: 'member.role_changed', target: { type: 'user', id } });
   * });
   */
  async record(executor: Kysely<DB>, entry: AuditEntry): Promise<string> {
    const id = newId('aud');
    await executor
      .insertInto('audit_log')
      .values({
        id,
        bp_id: entry.bpId,
        actor_type: entry.actor.type,
        actor_id: entry.actor.id,
        actor_label: entry.actor.label,
        action: entry.action,
        target_type: entry.target.type,
        target_id: entry.target.id,
        details: JSON.stringify(entry.details ?? {}),
        request_id: entry.requestId ?? null,
        ip: entry.ip ?? null,
      })
      .execute();
    return id;
  }

  /** Tell every member of the BP, in-app, inside the caller's transaction. */
  async notify(executor: Kysely<DB>, notice: TeamNotice): Promise<string> {
    const id = newId('ntf');
    await executor
      .insertInto('notifications')
      .values({
        id,
        bp_id: notice.bpId,
        severity: notice.severity ?? 'info',
        title: notice.title,
        body: notice.body,
        link: notice.link ?? null,
        audit_id: notice.auditId ?? null,
      })
      .execute();
    return id;
  }

  /** The actions this BP's log holds, alphabetically (what the dashboard's action filter offers). */
  async actions(bpId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_log').select('action').distinct().where('bp_id', '=', bpId).orderBy('action').execute();
    return rows.map((r) => r.action);
  }

  async list(bpId: string, options: { limit: number; cursor?: string | undefined; action?: string | undefined }): Promise<Page<AuditRecord>> {
    let query = this.db.selectFrom('audit_log').selectAll().where('bp_id', '=', bpId);
    if (options.cursor !== undefined) query = query.where('id', '<', options.cursor);
    if (options.action !== undefined) query = query.where('action', '=', options.action);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        action: r.action,
        actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
        target: { type: r.target_type, id: r.target_id },
        details: r.details,
        requestId: r.request_id,
        ip: r.ip,
        createdAt: r.created_at,
      })),
      nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async listNotifications(
    bpId: string,
    userId: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<Page<NotificationView> & { unreadCount: number }> {
    let query = this.db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (join) => join.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', userId))
      .select(['n.id', 'n.severity', 'n.title', 'n.body', 'n.link', 'n.created_at', 'r.read_at'])
      .where('n.bp_id', '=', bpId);
    if (options.cursor !== undefined) query = query.where('n.id', '<', options.cursor);
    const rows = await query
      .orderBy('n.id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const unread = await this.db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (join) => join.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', userId))
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('n.bp_id', '=', bpId)
      .where('r.read_at', 'is', null)
      .executeTakeFirstOrThrow();
    const page = rows.slice(0, options.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        severity: r.severity,
        title: r.title,
        body: r.body,
        link: r.link,
        createdAt: r.created_at,
        read: r.read_at !== null,
      })),
      unreadCount: Number(unread.count),
      nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** Mark the given notifications (or all of the BP's) read for one user. Ids of other BPs are ignored. */
  async markRead(bpId: string, userId: string, ids: readonly string[] | 'all'): Promise<number> {
    let candidates = this.db.selectFrom('notifications').select('id').where('bp_id', '=', bpId);
    if (ids !== 'all') {
      if (ids.length === 0) return 0;
      candidates = candidates.where('id', 'in', ids);
    }
    const result = await this.db
      .insertInto('notification_reads')
      .columns(['notification_id', 'user_id'])
      .expression(candidates.select((eb) => eb.val(userId).as('user_id')))
      .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
}
