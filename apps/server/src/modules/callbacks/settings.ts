import type { Kysely } from 'kysely';
import type { CallbackUrlKind, DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AccountsService, BpAccess, RequestOrigin, SessionContext } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';

export const CALLBACK_KINDS: readonly CallbackUrlKind[] = ['deposit', 'pendingDeposit', 'failedDeposit', 'payout', 'pendingPayout', 'failedPayout'];

export interface CallbackSettings {
  readonly timeoutMs: number;
  readonly urls: Record<CallbackUrlKind, { url: string | null; enabled: boolean }>;
}

export interface CallbackSettingsInput {
  readonly timeoutMs?: number | undefined;
  readonly urls: Partial<Record<CallbackUrlKind, { url: string | null; enabled?: boolean | undefined }>>;
}

/**
 * The six callback URLs (one per kind, each with an on/off toggle) and the per-BP timeout. An
 * unset or disabled URL means no callbacks of that kind. URLs must be https unless the operator
 * allows http (development). Where they may point is also checked at connect time by the
 * delivery worker's SSRF guard; this check is about shape.
 */
export class CallbackSettingsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly allowHttp: boolean,
  ) {}

  async get(bpId: string): Promise<CallbackSettings> {
    const [settings, urls] = await Promise.all([
      this.db.selectFrom('callback_settings').select('timeout_ms').where('bp_id', '=', bpId).executeTakeFirst(),
      this.db.selectFrom('callback_urls').select(['kind', 'url', 'enabled']).where('bp_id', '=', bpId).execute(),
    ]);
    const out = Object.fromEntries(CALLBACK_KINDS.map((k) => [k, { url: null, enabled: false }])) as Record<
      CallbackUrlKind,
      { url: string | null; enabled: boolean }
    >;
    for (const row of urls) out[row.kind] = { url: row.url, enabled: row.enabled };
    return { timeoutMs: settings?.timeout_ms ?? 5000, urls: out };
  }

  validateUrl(kind: string, raw: string): string {
    let url: URL;
    const fail = (detail: string) => new AppError('callback_url_invalid', detail, { errors: [{ field: `body.urls.${kind}.url`, message: detail }] });
    try {
      url = new URL(raw.trim());
    } catch (_error: unknown) {
      throw fail(`"${raw}" is not an absolute URL.`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.allowHttp)) {
      throw fail(this.allowHttp ? 'Use an http(s) URL.' : 'Callback URLs must use https (this Paygate does not allow plain http).');
    }
    if (url.username !== '' || url.password !== '') throw fail('Do not put credentials in the URL; verify the callback signature instead.');
    if (url.hash !== '') throw fail('A callback URL cannot have a #fragment.');
    return url.toString();
  }

  /** Change URLs/toggles/timeout (admin, re-authentication: redirecting callbacks is a security change). Audited. */
  async update(session: SessionContext, access: BpAccess, input: CallbackSettingsInput, origin: RequestOrigin): Promise<CallbackSettings> {
    this.accounts.requireRecentReauth(session);
    const normalised = Object.entries(input.urls).map(([kind, value]) => ({
      kind: kind as CallbackUrlKind,
      url: value.url === null ? null : this.validateUrl(kind, value.url),
      enabled: value.enabled ?? value.url !== null,
    }));
    const before = await this.get(access.bpId);
    await this.db.transaction().execute(async (trx) => {
      if (input.timeoutMs !== undefined) {
        await trx
          .insertInto('callback_settings')
          .values({ bp_id: access.bpId, timeout_ms: input.timeoutMs })
          .onConflict((oc) => oc.column('bp_id').doUpdateSet({ timeout_ms: input.timeoutMs, updated_at: new Date() }))
          .execute();
      }
      for (const change of normalised) {
        if (change.url === null) {
          await trx.deleteFrom('callback_urls').where('bp_id', '=', access.bpId).where('kind', '=', change.kind).execute();
        } else {
          await trx
            .insertInto('callback_urls')
            .values({ bp_id: access.bpId, kind: change.kind, url: change.url, enabled: change.enabled })
            .onConflict((oc) => oc.columns(['bp_id', 'kind']).doUpdateSet({ url: change.url ?? '', enabled: change.enabled, updated_at: new Date() }))
            .execute();
        }
      }
      const changes = normalised
        .filter((c) => before.urls[c.kind].url !== c.url || before.urls[c.kind].enabled !== c.enabled)
        .map((c) => ({ kind: c.kind, from: before.urls[c.kind], to: { url: c.url, enabled: c.url === null ? false : c.enabled } }));
      const timeoutChanged = input.timeoutMs !== undefined && input.timeoutMs !== before.timeoutMs;
      if (changes.length > 0 || timeoutChanged) {
        const auditId = await this.audit.record(trx, {
          bpId: access.bpId,
          actor: access.actor,
          action: 'callback_settings.updated',
          target: { type: 'callback_settings', id: access.bpId },
          details: { changes, ...(timeoutChanged ? { timeoutMs: { from: before.timeoutMs, to: input.timeoutMs } } : {}) },
          requestId: origin.requestId,
          ip: origin.ip,
        });
        if (changes.length > 0) {
          await this.audit.notify(trx, {
            bpId: access.bpId,
            severity: 'warning',
            title: 'Callback URLs changed',
            body: `${access.actor.label} changed the ${changes.map((c) => c.kind).join(', ')} callback URL${changes.length > 1 ? 's' : ''}.`,
            link: '/developers/callback-urls',
            auditId,
          });
        }
      }
    });
    return this.get(access.bpId);
  }
}
