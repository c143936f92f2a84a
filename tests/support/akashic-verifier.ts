import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An AkashicPay-style callback verifier written from the scheme's description alone, not from
 * Paygate's code: sort the body's keys recursively, stringify compactly, HMAC-SHA256 keyed with
 * the secret string, compare with the hex `Signature` header.
 */
export function independentAkashicVerify(secret: string, body: string, signature: string): boolean {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  const expected = createHmac('sha256', secret)
    .update(JSON.stringify(sort(JSON.parse(body))))
    .digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
