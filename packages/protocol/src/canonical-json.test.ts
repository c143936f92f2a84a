import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, is compact', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });
  it('drops undefined members like JSON.stringify and keeps strings exact', () => {
    expect(canonicalJson({ amount: '0.000001', skip: undefined, t: 'é"\\' })).toBe('{"amount":"0.000001","t":"é\\"\\\\"}');
  });
});
