import { describe, expect, it } from 'vitest';
import { charsetOf } from './json-body.js';

describe('charsetOf', () => {
  it('reads the charset parameter in any case, quoted or not, among others', () => {
    expect(charsetOf('application/json; charset=utf-8')).toBe('utf-8');
    expect(charsetOf('APPLICATION/JSON ; CHARSET="UTF-8"')).toBe('utf-8');
    expect(charsetOf('application/json;foo=bar; charset=ISO-8859-1')).toBe('iso-8859-1');
  });

  it('is undefined without one (or without a value)', () => {
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf('application/json; foo=bar')).toBeUndefined();
    expect(charsetOf('application/json; charset')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});
