/** The zone the browser shows times in; usage pages say which, and the server buckets by it. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
