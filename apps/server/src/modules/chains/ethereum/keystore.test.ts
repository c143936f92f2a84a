import { describe, expect, it } from 'vitest';
import { decryptKeystore, encryptKeystore, KeystoreError } from './keystore.js';

// The two test vectors of the Web3 Secret Storage Definition (password "testpassword").
const PRIVATE_KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';
const PBKDF2_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};
const SCRYPT_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 262144, r: 1, p: 8, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};

describe('Web3 Secret Storage keystore', () => {
  it('decrypts the PBKDF2 test vector', () => {
    expect(decryptKeystore(JSON.stringify(PBKDF2_VECTOR), 'testpassword')).toBe(PRIVATE_KEY);
  });

  it('decrypts the scrypt test vector', () => {
    expect(decryptKeystore(JSON.stringify(SCRYPT_VECTOR), 'testpassword')).toBe(PRIVATE_KEY);
  });

  it('refuses a wrong passphrase and a tampered ciphertext without revealing anything', () => {
    expect(() => decryptKeystore(JSON.stringify(PBKDF2_VECTOR), 'testpassworD')).toThrow(KeystoreError);
    const tampered = { ...PBKDF2_VECTOR, crypto: { ...PBKDF2_VECTOR.crypto, ciphertext: `6${PBKDF2_VECTOR.crypto.ciphertext.slice(1)}` } };
    expect(() => decryptKeystore(JSON.stringify(tampered), 'testpassword')).toThrow(/MAC mismatch/);
  });

  it('refuses files that are not keystore v3', () => {
    for (const text of [
      'not json',
      '{}',
      JSON.stringify({ ...PBKDF2_VECTOR, version: 2 }),
      JSON.stringify({ ...PBKDF2_VECTOR, crypto: { ...PBKDF2_VECTOR.crypto, cipher: 'aes-128-cbc' } }),
    ]) {
      expect(() => decryptKeystore(text, 'testpassword')).toThrow(KeystoreError);
    }
  });

  it('round-trips a key it encrypted, and the file names the address', () => {
    const text = encryptKeystore(PRIVATE_KEY, 'correct horse', { n: 1024, r: 8, p: 1 });
    expect(text).not.toContain(PRIVATE_KEY.slice(2));
    expect(JSON.parse(text).address).toBe('008aeeda4d805471df9b2a5b0f38a0c3bcba786b');
    expect(decryptKeystore(text, 'correct horse')).toBe(PRIVATE_KEY);
    expect(() => decryptKeystore(text, 'wrong')).toThrow(KeystoreError);
  });
});
