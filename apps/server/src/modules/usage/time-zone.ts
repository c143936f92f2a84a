import { AppError } from '../../lib/errors.js';

/** Throws validation_failed unless `tz` is an IANA time zone name this runtime knows. */
export function assertTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch (_error: unknown) {
    throw new AppError('validation_failed', `Unknown time zone "${tz}"; use an IANA name such as Europe/Berlin or UTC.`, {
      errors: [{ field: 'querystring.tz', message: 'Unknown IANA time zone' }],
    });
  }
}

/** Offset of `tz` from UTC at `at`, in minutes (e.g. +330 for Asia/Kolkata). */
export function offsetMinutes(tz: string, at: Date): number {
  const part =
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
