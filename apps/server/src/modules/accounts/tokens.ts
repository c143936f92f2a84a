import { createHash } from 'node:crypto';

/** Session and invitation tokens are stored only as their SHA-256 (hex); the token itself never is. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
