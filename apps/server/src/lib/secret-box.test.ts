import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 3));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:usr_1');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:usr_1')).toBe('JBSWY3DPEHPK3PXP');
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('refuses another context, another key, and tampering', () => {
    const sealed = box.seal('secret', 'totp:usr_1');
    expect(() => box.open(sealed, 'totp:usr_2')).toThrow(SecretBoxError);
    expect(() => new SecretBox(Buffer.alloc(32, 4)).open(sealed, 'totp:usr_1')).toThrow(SecretBoxError);
    const parts = sealed.split('.');
    const tampered = [parts[0], parts[1], Buffer.from('x').toString('base64url'), parts[3]].join('.');
    expect(() => box.open(tampered, 'totp:usr_1')).toThrow(SecretBoxError);
    expect(() => box.open('garbage', 'totp:usr_1')).toThrow(/Unrecognised/);
  });

  it('requires a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
