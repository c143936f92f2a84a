import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { GO_BIN, HAS_GO, HAS_PHP, IN_CI, PHP_BIN } from './environment.js';

/** One callback as an AkashicPay SDK receives it: the raw body and its `Signature` header. */
export interface SignedBody {
  readonly secret: string;
  readonly body: string;
  readonly signature: string;
}

/** What an SDK-faithful program made of one body. */
export interface SdkVerdict {
  readonly match: boolean;
  /** The bytes the SDK re-serialised and hashed (null when it could not). */
  readonly reserialized: string | null;
  readonly error?: string | null;
}

export type SdkLanguage = 'go' | 'php';

const PROGRAMS: Record<SdkLanguage, string> = {
  go: fileURLToPath(new URL('../interop/go/verify.go', import.meta.url)),
  php: fileURLToPath(new URL('../interop/php/verify.php', import.meta.url)),
};

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
    child.stdin.end(input);
  });
}

/**
 * Run `cases` through the real Go (`go run tests/interop/go/verify.go`, standard library only)
 * or PHP (`php tests/interop/php/verify.php`) program in one process, one JSON line per case.
 * Go gets a throw-away GOCACHE and GOPATH and no module proxy, so it works as any user, offline.
 */
export async function sdkVerify(language: SdkLanguage, cases: readonly SignedBody[]): Promise<SdkVerdict[]> {
  if (cases.length === 0) return [];
  const input = `${cases.map((c) => JSON.stringify({ secret: c.secret, body: c.body, signature: c.signature })).join('\n')}\n`;
  let output: string;
  if (language === 'go') {
    const scratch = await mkdtemp(join(tmpdir(), 'paygate-go-'));
    try {
      const env = {
        PATH: process.env.PATH,
        HOME: scratch,
        GOCACHE: join(scratch, 'cache'),
        GOPATH: join(scratch, 'gopath'),
        GO111MODULE: 'off',
        GOPROXY: 'off',
        GOFLAGS: '',
        GOTOOLCHAIN: 'local',
      };
      output = await run(GO_BIN, ['run', PROGRAMS.go], env, input);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  } else {
    output = await run(PHP_BIN, ['-n', '-d', 'display_errors=stderr', PROGRAMS.php], { PATH: process.env.PATH }, input);
  }
  const verdicts = output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SdkVerdict);
  if (verdicts.length !== cases.length) throw new Error(`${language} answered ${verdicts.length} lines for ${cases.length} cases:\n${output}`);
  return verdicts;
}

/** Why the Go/PHP interop tests cannot run here, or undefined when they can. */
export const SDK_PROGRAMS_MISSING: string | undefined =
  HAS_GO && HAS_PHP
    ? undefined
    : `no ${[!HAS_GO && `Go at ${GO_BIN}`, !HAS_PHP && `PHP at ${PHP_BIN}`].filter(Boolean).join(' and ')} (apt-get install golang-go php-cli, or set GO_BIN / PHP_BIN)`;

/**
 * A suite that needs the real Go and PHP programs. Without them it fails in CI (CI=true) with the
 * reason, and locally is reported as skipped with the reason in its title — never silently absent.
 */
export function describeWithSdkPrograms(title: string, suite: () => void): void {
  if (SDK_PROGRAMS_MISSING === undefined) describe(title, suite);
  else if (IN_CI)
    describe(title, () =>
      it('has Go and PHP to run the SDK programs', () => {
        throw new Error(`Cannot run the Go/PHP SDK interop tests: ${SDK_PROGRAMS_MISSING}`);
      }),
    );
  else describe.skip(`${title} (SKIPPED: ${SDK_PROGRAMS_MISSING})`, suite);
}
