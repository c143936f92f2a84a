/**
 * The KeyPair file the dashboard downloads once and the SDK loads: JSON, so it carries the key id
 * and base URL next to the PKCS#8 private key and cannot be confused with another PEM.
 */
export const KEY_FILE_TYPE = 'paygate-keypair';

export interface KeyFile {
  readonly type: typeof KEY_FILE_TYPE;
  readonly version: 1;
  readonly keyId: string;
  readonly bpId: string;
  readonly algorithm: 'ed25519';
  /** PKCS#8 PEM. Keep this file secret: it authenticates as your Business Partner. */
  readonly privateKey: string;
  readonly baseUrl: string | null;
  readonly createdAt: string;
}

export function serializeKeyFile(file: Omit<KeyFile, 'type' | 'version' | 'algorithm'>): string {
  const full: KeyFile = { type: KEY_FILE_TYPE, version: 1, algorithm: 'ed25519', ...file };
  return `${JSON.stringify(full, null, 2)}\n`;
}

/** Parse and check a key file's shape; throws an Error saying what is wrong. */
export function parseKeyFile(text: string): KeyFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (_error: unknown) {
    throw new Error('The key file is not JSON; download it again from the dashboard (KeyPair page).');
  }
  const f = data as Partial<Record<keyof KeyFile, unknown>> | null;
  if (f === null || typeof f !== 'object' || f.type !== KEY_FILE_TYPE) throw new Error(`Not a Paygate key file (expected "type": "${KEY_FILE_TYPE}")`);
  if (f.version !== 1) throw new Error(`Unsupported key file version ${String(f.version)}`);
  if (typeof f.keyId !== 'string' || !/^kp_[0-9a-z]{26}$/.test(f.keyId)) throw new Error('The key file has no valid keyId');
  if (typeof f.bpId !== 'string') throw new Error('The key file has no bpId');
  if (f.algorithm !== 'ed25519') throw new Error('The key file algorithm must be ed25519');
  if (typeof f.privateKey !== 'string' || !f.privateKey.includes('BEGIN PRIVATE KEY')) throw new Error('The key file has no PKCS#8 private key');
  return {
    type: KEY_FILE_TYPE,
    version: 1,
    keyId: f.keyId,
    bpId: f.bpId,
    algorithm: 'ed25519',
    privateKey: f.privateKey,
    baseUrl: typeof f.baseUrl === 'string' ? f.baseUrl : null,
    createdAt: typeof f.createdAt === 'string' ? f.createdAt : '',
  };
}
