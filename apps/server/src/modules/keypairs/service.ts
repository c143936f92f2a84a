import type { Kysely } from 'kysely';
import { CHANNELS } from '../../db/channels.js';
import { notifyInTransaction } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { AccountsService, BpAccess, RequestOrigin, SessionContext } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';
import { generateKeyPair, type PublicKeyInfo, parseUploadedPublicKey } from './keys.js';

export interface KeyPairView {
  readonly id: string;
  readonly algorithm: 'ed25519';
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly source: 'generated' | 'uploaded';
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
}

export interface IssuedKeyPair {
  readonly keypair: KeyPairView;
  /** PKCS#8 PEM, present only when Paygate generated the key. Returned once; never stored. */
  readonly privateKey: string | null;
  readonly replaced: string | null;
}

/**
 * The Secondary KeyPair: exactly one active per BP. Issuing a new one (generate or upload) revokes
 * the active one in the same transaction, records it in the audit log, tells the team, and
 * announces the change to every API process.
 */
export class KeyPairsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  async list(bpId: string): Promise<{ active: KeyPairView | null; revoked: KeyPairView[] }> {
    const rows = await this.db.selectFrom('keypairs').selectAll().where('bp_id', '=', bpId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const views = rows.map(
      (r): KeyPairView => ({
        id: r.id,
        algorithm: 'ed25519',
        fingerprint: r.fingerprint,
        publicKey: r.public_key,
        source: r.source,
        createdAt: r.created_at,
        createdBy: r.created_by_label,
        revokedAt: r.revoked_at,
        revokedBy: r.revoked_by_label,
      }),
    );
    return { active: views.find((v) => v.revokedAt === null) ?? null, revoked: views.filter((v) => v.revokedAt !== null) };
  }

  /**
   * Generate a new key pair, or register an uploaded public key. Replacing an active key needs
   * `confirmReplace` (the dashboard's confirmation step) and, like any issue, recent re-authentication.
   */
  async issue(
    session: SessionContext,
    access: BpAccess,
    input: { mode: 'generate' } | { mode: 'upload'; publicKey: string },
    confirmReplace: boolean,
    origin: RequestOrigin,
  ): Promise<IssuedKeyPair> {
    this.accounts.requireRecentReauth(session);
    let publicKey: PublicKeyInfo;
    let privateKey: string | null = null;
    if (input.mode === 'generate') {
      const generated = generateKeyPair();
      publicKey = generated.publicKey;
      privateKey = generated.privateKeyPem;
    } else {
      publicKey = parseUploadedPublicKey(input.publicKey);
    }
    const id = newId('kp');
    const replaced = await this.db.transaction().execute(async (trx) => {
      // Serialise concurrent refreshes of one BP; the partial unique index is the backstop.
      await trx.selectFrom('bps').select('id').where('id', '=', access.bpId).forUpdate().executeTakeFirstOrThrow();
      const active = await trx.selectFrom('keypairs').select(['id']).where('bp_id', '=', access.bpId).where('revoked_at', 'is', null).executeTakeFirst();
      if (active && !confirmReplace) {
        throw new AppError(
          'keypair_confirmation_required',
          `KeyPair ${active.id} is active. Issuing a new one revokes it immediately; resend with "confirm": true to proceed.`,
          { activeKeyId: active.id },
        );
      }
      const duplicate = await trx.selectFrom('keypairs').select('id').where('fingerprint', '=', publicKey.fingerprint).executeTakeFirst();
      if (duplicate) throw new AppError('public_key_in_use', 'This public key is already registered. Generate a fresh key pair for each KeyPair.');
      const now = new Date();
      if (active) {
        await trx
          .updateTable('keypairs')
          .set({ revoked_at: now, revoked_by: access.actor.id, revoked_by_label: access.actor.label })
          .where('id', '=', active.id)
          .execute();
      }
      await trx
        .insertInto('keypairs')
        .values({
          id,
          bp_id: access.bpId,
          public_key: publicKey.pem,
          fingerprint: publicKey.fingerprint,
          source: input.mode === 'generate' ? 'generated' : 'uploaded',
          created_by: access.actor.id,
          created_by_label: access.actor.label,
          revoked_at: null,
          revoked_by: null,
          revoked_by_label: null,
        })
        .execute();
      const action = active ? 'keypair.refreshed' : input.mode === 'generate' ? 'keypair.generated' : 'keypair.uploaded';
      const auditId = await this.audit.record(trx, {
        bpId: access.bpId,
        actor: access.actor,
        action,
        target: { type: 'keypair', id },
        details: { fingerprint: publicKey.fingerprint, source: input.mode === 'generate' ? 'generated' : 'uploaded', revokedKeyId: active?.id ?? null },
        requestId: origin.requestId,
        ip: origin.ip,
      });
      await this.audit.notify(trx, {
        bpId: access.bpId,
        severity: active ? 'critical' : 'info',
        title: active ? 'Secondary KeyPair refreshed' : 'Secondary KeyPair created',
        body: active
          ? `${access.actor.label} refreshed the Secondary KeyPair. ${active.id} stopped working immediately; update every backend to the new key ${id}.`
          : `${access.actor.label} created the Secondary KeyPair ${id}.`,
        link: '/developers/keypair',
        auditId,
      });
      await notifyInTransaction(trx, CHANNELS.credentials, access.bpId);
      return active?.id ?? null;
    });
    const { active } = await this.list(access.bpId);
    if (active === null || active.id !== id) throw new Error('The new KeyPair is not active after commit');
    return { keypair: active, privateKey, replaced };
  }
}
