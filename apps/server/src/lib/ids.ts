import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

let lastTime = -1;
const lastRandom = new Uint8Array(10);

/** Add one to the 80-bit random part (big-endian), so ids minted in the same millisecond stay ordered. */
function incrementRandom(): void {
  for (let i = lastRandom.length - 1; i >= 0; i--) {
    const next = (lastRandom[i] ?? 0) + 1;
    lastRandom[i] = next & 0xff;
    if (next <= 0xff) return;
  }
}

/**
 * A readable, prefixed, time-ordered identifier: `prefix_` + 48-bit millisecond time + 80 random
 * bits in lowercase Crockford base32 (26 chars), like a monotonic ULID. Within one process, ids
 * sort in creation order even inside one millisecond (the random part is incremented); across
 * processes, ids of the same millisecond sort arbitrarily. Keyset pagination of the audit log and
 * notifications relies on this ordering.
 *
 * @example newId('bp') // 'bp_01jd3v6m2e4x8q9w0r5t7y1z3a'
 */
export function newId(prefix: string, now: number = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    lastRandom.set(randomBytes(10));
  } else {
    incrementRandom();
  }
  const bytes = new Uint8Array(16);
  // 48-bit big-endian timestamp (fits in a double exactly until year 10889).
  let t = lastTime;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes.set(lastRandom, 6);
  return `${prefix}_${encodeBase32(bytes).slice(0, 26)}`;
}

/** An unguessable token for cookies and invitation links (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
