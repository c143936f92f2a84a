import { existsSync } from 'node:fs';

/** The test suite's own knobs (the server reads none of these). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
/** Set by CI services (and `CI=true npm test`): a leg that cannot run there fails instead of skipping. */
export const IN_CI = /^(1|true)$/i.test(process.env.CI?.trim() ?? '');
/** Real Go and PHP re-serialise callback bodies as AkashicPay's SDKs do (tests/interop). */
export const GO_BIN = process.env.GO_BIN?.trim() || '/usr/bin/go';
export const PHP_BIN = process.env.PHP_BIN?.trim() || '/usr/bin/php';
export const HAS_GO = existsSync(GO_BIN);
export const HAS_PHP = existsSync(PHP_BIN);
