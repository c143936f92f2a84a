import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { type RequestOrigin, type SessionContext, userActor } from './types.js';

/** A change to the user's own login concerns every BP they belong to: record it in each audit log. */
export async function recordForAllBps(
  audit: AuditService,
  trx: Kysely<DB>,
  session: SessionContext,
  action: string,
  origin: RequestOrigin,
  details?: Readonly<Record<string, unknown>>,
): Promise<void> {
  for (const m of session.memberships) {
    await audit.record(trx, {
      bpId: m.bpId,
      actor: userActor(session.user),
      action,
      target: { type: 'user', id: session.user.id },
      ...(details !== undefined ? { details } : {}),
      requestId: origin.requestId,
      ip: origin.ip,
    });
  }
}
