/**
 * True when `error` is PostgreSQL's unique_violation (SQLSTATE 23505) — on pg and PGlite alike —
 * optionally of one named index or constraint. A check-then-insert can lose this race to a
 * concurrent transaction; the caller turns it into the same answer the check would have given.
 *
 * @example
 * await trx.insertInto('users').values(row).execute().catch((error: unknown) => {
 *   throw isUniqueViolation(error, 'users_email_key') ? new AppError('email_taken', '…') : error;
 * });
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && (constraint === undefined || violated === constraint);
}
