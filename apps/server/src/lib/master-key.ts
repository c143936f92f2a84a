import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MasterKeySource {
  readonly key: Buffer;
  /** Where it came from, for the start-up log line (never the key itself). */
  readonly origin: 'environment' | 'data-dir' | 'generated';
  readonly path?: string;
}

/**
 * Resolve the master key: from PAYGATE_MASTER_KEY when given; otherwise (embedded database only,
 * enforced by config) from `DATA_DIR/master.key`, creating it with mode 0600 on first start.
 */
export function resolveMasterKey(fromEnvironment: string | undefined, dataDir: string): MasterKeySource {
  if (fromEnvironment !== undefined) return { key: Buffer.from(fromEnvironment, 'base64'), origin: 'environment' };
  const path = join(dataDir, 'master.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return { key, origin: 'data-dir', path };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, origin: 'generated', path };
}
