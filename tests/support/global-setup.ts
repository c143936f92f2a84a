import { CHROMIUM_PATH, HAS_CHROMIUM, TEST_DATABASE_URL } from './environment.js';

/** Say up front which legs of the suite will be skipped, and how to enable them. */
export default function setup(): void {
  const notes: string[] = [];
  if (TEST_DATABASE_URL === undefined) {
    notes.push('PostgreSQL leg SKIPPED: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run every integration test on PostgreSQL too.');
  } else {
    notes.push(`PostgreSQL leg on: ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`);
  }
  if (!HAS_CHROMIUM) {
    notes.push(`Browser leg SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  } else {
    notes.push(`Browser leg on: ${CHROMIUM_PATH}`);
  }
  process.stdout.write(`\n${notes.map((n) => `  • ${n}`).join('\n')}\n\n`);
}
