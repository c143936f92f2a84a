/**
 * An extended key or public key given to the chain module is unusable. The message says what is
 * wrong and never repeats the key itself, because a misconfigured value may be a private key
 * that must not end up in logs.
 *
 * @example
 * try {
 *   parseAccountXpub(process.env.ETH_XPUB ?? '');
 * } catch (error: unknown) {
 *   if (error instanceof ChainKeyError) console.error(error.message);
 * }
 */
export class ChainKeyError extends Error {
  override readonly name = 'ChainKeyError';
}
