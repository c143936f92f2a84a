import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary, StructuredFieldError } from './structured-fields.js';

/**
 * The RFC 9530 `Content-Digest` value for a body: `sha-256=:<base64 of SHA-256(body)>:`.
 *
 * @example contentDigest('{"hello": "world"}') // 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
 */
export function contentDigest(body: Uint8Array | string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export type DigestCheck = 'match' | 'mismatch' | 'unsupported' | 'malformed';

/**
 * Compare a received `Content-Digest` header with the body bytes. Only `sha-256` counts: a header
 * naming only other algorithms is `unsupported`; `sha-512` members, if present, are ignored.
 */
export function checkContentDigest(header: string, body: Uint8Array | string): DigestCheck {
  let members: ReturnType<typeof parseDictionary>;
  try {
    members = parseDictionary(header);
  } catch (error: unknown) {
    if (error instanceof StructuredFieldError) return 'malformed';
    throw error;
  }
  const sha256 = members.get('sha-256');
  if (sha256 === undefined) return 'unsupported';
  if (sha256.kind !== 'item' || !(sha256.value instanceof Uint8Array)) return 'malformed';
  const expected = createHash('sha256').update(body).digest();
  const received = Buffer.from(sha256.value);
  return received.length === expected.length && timingSafeEqual(received, expected) ? 'match' : 'mismatch';
}
