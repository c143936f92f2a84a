/**
 * A reason start-up cannot go on that the operator can fix (data directory in use, port taken…).
 * The CLI prints its message alone, without a stack trace, and exits non-zero.
 */
export class StartupError extends Error {
  override readonly name: string = 'StartupError';
}
