import { CHROMIUM_PATH, GO_BIN, HAS_CHROMIUM, HAS_GO, HAS_PHP, IN_CI, PHP_BIN, TEST_DATABASE_URL } from './environment.js';

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
  if (!HAS_GO || !HAS_PHP) {
    const missing = [!HAS_GO && `Go at ${GO_BIN}`, !HAS_PHP && `PHP at ${PHP_BIN}`].filter(Boolean).join(' and ');
    notes.push(`SDK interop leg ${IN_CI ? 'FAILS (CI)' : 'SKIPPED'}: no ${missing}. Install them (apt-get install golang-go php-cli) or set GO_BIN / PHP_BIN.`);
  } else {
    notes.push(`SDK interop leg on: ${GO_BIN}, ${PHP_BIN}`);
  }
  process.stdout.write(`\n${notes.map((n) => `  • ${n}`).join('\n')}\n\n`);
}
