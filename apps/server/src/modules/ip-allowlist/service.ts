import type { Kysely } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import { type Database, notifyInTransaction } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AccountsService, BpAccess, RequestOrigin, SessionContext } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';
import { normaliseCidr, type ParsedRange, parseRange } from './cidr.js';

export interface AllowlistEntry {
  readonly cidr: string;
  readonly label: string;
  readonly createdAt: Date;
  readonly createdBy: string;
}

export const MAX_ALLOWLIST_ENTRIES = 100;
const TTL_MS = 60_000;

/**
 * Inbound IP allowlist per BP. An empty list allows any address. Parsed ranges are cached per BP
 * and dropped on the same change channel as credentials, so an edit applies to every API process
 * as soon as its NOTIFY arrives (milliseconds), and after at most a minute if it never does.
 */
export class IpAllowlistService {
  readonly #cache = new Map<string, { ranges: ParsedRange[]; loadedAt: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  attach(database: Database): Promise<() => Promise<void>> {
    return database.listen(
      CHANNELS.credentials,
      (bpId) => this.#cache.delete(bpId),
      () => this.#cache.clear(),
    );
  }

  async list(bpId: string): Promise<AllowlistEntry[]> {
    const rows = await this.db.selectFrom('ip_allowlist').selectAll().where('bp_id', '=', bpId).orderBy('created_at').orderBy('cidr').execute();
    return rows.map((r) => ({ cidr: r.cidr, label: r.label, createdAt: r.created_at, createdBy: r.created_by_label }));
  }

  async ranges(bpId: string): Promise<ParsedRange[]> {
    const cached = this.#cache.get(bpId);
    if (cached !== undefined && Date.now() - cached.loadedAt < TTL_MS) return cached.ranges;
    const rows = await this.db.selectFrom('ip_allowlist').select('cidr').where('bp_id', '=', bpId).execute();
    const ranges = rows.map((r) => parseRange(r.cidr));
    this.#cache.set(bpId, { ranges, loadedAt: Date.now() });
    return ranges;
  }

  /** Replace the whole list (admin, re-authentication). Audited with what was added and removed. */
  async replace(
    session: SessionContext,
    access: BpAccess,
    entries: readonly { cidr: string; label?: string | undefined }[],
    origin: RequestOrigin,
  ): Promise<AllowlistEntry[]> {
    this.accounts.requireRecentReauth(session);
    if (entries.length > MAX_ALLOWLIST_ENTRIES) throw new AppError('ip_entry_invalid', `At most ${MAX_ALLOWLIST_ENTRIES} entries; use wider ranges.`);
    const normalised = new Map<string, string>();
    for (const entry of entries) {
      const cidr = normaliseCidr(entry.cidr);
      if (!normalised.has(cidr)) normalised.set(cidr, entry.label?.trim() ?? '');
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.selectFrom('bps').select('id').where('id', '=', access.bpId).forUpdate().executeTakeFirstOrThrow();
      const before = new Set((await trx.selectFrom('ip_allowlist').select('cidr').where('bp_id', '=', access.bpId).execute()).map((r) => r.cidr));
      // Keep unchanged entries as they are (with their original date and author); update labels.
      const added = [...normalised.keys()].filter((c) => !before.has(c));
      const removed = [...before].filter((c) => !normalised.has(c));
      if (removed.length > 0) await trx.deleteFrom('ip_allowlist').where('bp_id', '=', access.bpId).where('cidr', 'in', removed).execute();
      for (const [cidr, label] of normalised) {
        if (before.has(cidr)) await trx.updateTable('ip_allowlist').set({ label }).where('bp_id', '=', access.bpId).where('cidr', '=', cidr).execute();
      }
      if (added.length > 0) {
        await trx
          .insertInto('ip_allowlist')
          .values(added.map((cidr) => ({ bp_id: access.bpId, cidr, label: normalised.get(cidr) ?? '', created_by_label: access.actor.label })))
          .execute();
      }
      const auditId = await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'ip_allowlist.updated',
        target: { type: 'ip_allowlist', id: access.bpId },
        details: { added, removed, count: normalised.size },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await this.audit.notify(trx, {
        bpId: access.bpId,
        severity: 'warning',
        title: 'IP allowlist changed',
        body: `${access.actor.label} changed the API IP allowlist${added.length > 0 ? `; added ${added.join(', ')}` : ''}${removed.length > 0 ? `; removed ${removed.join(', ')}` : ''}. ${normalised.size === 0 ? 'Requests are now accepted from any address.' : `${normalised.size} range(s) allowed.`}`,
        link: '/developers/ip-allowlist',
        auditId,
      });
      await notifyInTransaction(trx, CHANNELS.credentials, access.bpId);
    });
    this.#cache.delete(access.bpId);
    return this.list(access.bpId);
  }
}
