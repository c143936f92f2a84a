import { describe, expect, it } from 'vitest';
import { newId, newToken } from './ids.js';

describe('newId', () => {
  it('is prefixed, 26 base32 characters, and sorts by time', () => {
    const a = newId('aud', 1_700_000_000_000);
    const b = newId('aud', 1_700_000_000_001);
    expect(a).toMatch(/^aud_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(a < b).toBe(true);
    expect(newId('x', 5)).not.toBe(newId('x', 5));
  });

  it('stays ordered for many ids minted in the same millisecond, and when the clock steps back', () => {
    const ids = Array.from({ length: 1000 }, () => newId('n', 1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    const after = newId('n', 1_700_000_000_000);
    expect(after > (ids.at(-1) ?? '')).toBe(true);
  });

  it('tokens carry 256 bits', () => {
    expect(Buffer.from(newToken(), 'base64url')).toHaveLength(32);
  });
});
