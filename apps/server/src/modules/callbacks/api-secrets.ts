import { createHash, randomBytes } from 'node:crypto';
import { SECRET_PREFIX } from '@paygate/protocol';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AccountsService, BpAccess, RequestOrigin, SessionContext } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';

export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

export interface SecretMetadata {
  readonly id: string;
  readonly fingerprint: string;
  readonly createdAt: Date;
  readonly createdBy: string;
  /** When this secret stops signing (set on the old secret during a rotation's overlap). */
  readonly expiresAt: Date | null;
}

function fingerprintOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

/**
 * API secrets sign callbacks. Stored sealed (AES-256-GCM under the master key, bound to the BP
 * and secret id); revealed only to owners/admins after re-authentication, and every reveal is
 * audited. Rotation keeps the old secret active for an overlap the BP chooses (0 … 7 days).
 */
export class ApiSecretsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly secrets: SecretBox,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  #context(bpId: string, id: string): string {
    return `api_secret:${bpId}:${id}`;
  }

  /** Create a secret inside the caller's transaction (onboarding and rotation); returns it in clear once. */
  async create(trx: Kysely<DB>, bpId: string, createdBy: string): Promise<{ id: string; secret: string }> {
    const id = newId('sec');
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
    await trx
      .insertInto('api_secrets')
      .values({
        id,
        bp_id: bpId,
        secret_enc: this.secrets.seal(secret, this.#context(bpId, id)),
        fingerprint: fingerprintOf(secret),
        created_by_label: createdBy,
        expires_at: null,
      })
      .execute();
    return { id, secret };
  }

  /** Give every BP without a secret its first one (BPs created before this feature). */
  async ensureAll(): Promise<number> {
    const missing = await this.db
      .selectFrom('bps')
      .select('id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('api_secrets').select('id').whereRef('api_secrets.bp_id', '=', 'bps.id'))))
      .execute();
    for (const { id } of missing) await this.db.transaction().execute((trx) => this.create(trx, id, 'Paygate'));
    return missing.length;
  }

  async list(bpId: string): Promise<SecretMetadata[]> {
    const rows = await this.#active(this.db, bpId);
    return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, createdAt: r.created_at, createdBy: r.created_by_label, expiresAt: r.expires_at }));
  }

  async #active(executor: Kysely<DB>, bpId: string) {
    return executor
      .selectFrom('api_secrets')
      .selectAll()
      .where('bp_id', '=', bpId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', this.clock.now())]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The active secrets in clear, oldest first — what the delivery worker signs with. */
  async activeSecrets(bpId: string): Promise<string[]> {
    return (await this.activeSecretsOf([bpId])).get(bpId) ?? [];
  }

  /**
   * {@link activeSecrets} for several BPs in one query (the delivery worker asks once per claimed
   * batch, not once per callback). Secrets that cannot be decrypted are left out; BPs without an
   * active readable secret are absent from the map.
   */
  async activeSecretsOf(bpIds: readonly string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (bpIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('api_secrets')
      .select(['id', 'bp_id', 'secret_enc'])
      .where('bp_id', 'in', [...new Set(bpIds)])
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', this.clock.now())]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      let secret: string;
      try {
        secret = this.secrets.open(r.secret_enc, this.#context(r.bp_id, r.id));
      } catch (_error: unknown) {
        // Unreadable (another master key, or altered): sign with the BP's other secrets, if any.
        // One BP's broken secret must never stop other BPs' callbacks.
        continue;
      }
      const list = result.get(r.bp_id) ?? [];
      list.push(secret);
      result.set(r.bp_id, list);
    }
    return result;
  }

  /** Secrets active at any time since `since` (for checking signatures of callbacks already sent). */
  async secretsSince(bpId: string, since: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('api_secrets')
      .selectAll()
      .where('bp_id', '=', bpId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', since)]))
      .orderBy('created_at')
      .execute();
    return rows.map((r) => this.secrets.open(r.secret_enc, this.#context(bpId, r.id)));
  }

  /** Owners/admins, after re-authentication. Audited. */
  async reveal(session: SessionContext, access: BpAccess, origin: RequestOrigin): Promise<(SecretMetadata & { secret: string })[]> {
    this.accounts.requireRecentReauth(session);
    const rows = await this.#active(this.db, access.bpId);
    await this.db.transaction().execute((trx) =>
      this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'api_secret.revealed',
        target: { type: 'api_secret', id: rows.at(-1)?.id ?? null },
        requestId: origin.requestId,
        ip: origin.ip,
      }),
    );
    return rows.map((r) => ({
      id: r.id,
      fingerprint: r.fingerprint,
      createdAt: r.created_at,
      createdBy: r.created_by_label,
      expiresAt: r.expires_at,
      secret: this.secrets.open(r.secret_enc, this.#context(access.bpId, r.id)),
    }));
  }

  /**
   * Issue a new secret; the current ones keep signing for `overlapSeconds` (0 = stop now).
   * Audited and announced to the team.
   */
  async rotate(
    session: SessionContext,
    access: BpAccess,
    overlapSeconds: number,
    origin: RequestOrigin,
  ): Promise<{ id: string; secret: string; previousExpiresAt: Date }> {
    this.accounts.requireRecentReauth(session);
    const now = this.clock.now();
    const cutover = new Date(now.getTime() + overlapSeconds * 1000);
    return this.db.transaction().execute(async (trx) => {
      await trx.selectFrom('bps').select('id').where('id', '=', access.bpId).forUpdate().executeTakeFirstOrThrow();
      const current = await this.#active(trx, access.bpId);
      for (const row of current) {
        // An overlap never extends a secret that was already ending sooner.
        const ends = row.expires_at !== null && row.expires_at < cutover ? row.expires_at : cutover;
        await trx.updateTable('api_secrets').set({ expires_at: ends }).where('id', '=', row.id).execute();
      }
      const created = await this.create(trx, access.bpId, access.actor.label);
      const auditId = await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action: 'api_secret.rotated',
        target: { type: 'api_secret', id: created.id },
        details: { overlapSeconds, previous: current.map((r) => r.id), cutover: cutover.toISOString() },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await this.audit.notify(trx, {
        bpId: access.bpId,
        severity: 'critical',
        title: 'API secret rotated',
        body:
          overlapSeconds === 0
            ? `${access.actor.label} rotated the API secret; callbacks are signed with the new secret only, from now on. Update your callback verification.`
            : `${access.actor.label} rotated the API secret; the old one keeps signing until ${cutover.toISOString()}. Update your callback verification before then.`,
        link: '/developers/api-secret',
        auditId,
      });
      return { ...created, previousExpiresAt: cutover };
    });
  }
}
