import { describe, expect, it } from 'vitest';
import { unsafeTextErrors } from './unsafe-text.js';

describe('unsafeTextErrors', () => {
  it('finds NUL and unpaired surrogates in values at any depth and names the field', () => {
    const errors = unsafeTextErrors({ name: 'a\u0000b', entries: [{ cidr: '10.0.0.0/8', label: 'x\ud800' }], nested: { deep: ['ok', '\udc00'] } }, 'body');
    expect(errors.map((e) => e.field)).toEqual(['body.name', 'body.entries.0.label', 'body.nested.deep.1']);
    expect(errors[0]?.message).toContain('NUL');
    expect(errors[1]?.message).toContain('surrogate');
  });

  it('finds them in keys too, spelling the bad characters as escapes', () => {
    const errors = unsafeTextErrors({ 'k\u0000': 1, 's\ud800': 'fine' }, 'body');
    expect(errors.map((e) => e.field)).toEqual(['body.k\\u0000', 'body.s\\ud800']);
    expect(errors.every((e) => e.message.startsWith('The field name must not contain'))).toBe(true);
    expect(errors.some((e) => e.field.includes('\u0000') || e.field.includes('\ud800'))).toBe(false);
  });

  it('accepts well-formed text: surrogate pairs (emoji), other control characters, any script', () => {
    expect(unsafeTextErrors({ a: '😀 ok', b: 'tab\tnew\nline', c: 'Zürich 東京 \u202e', d: ['\ud83d\ude00'], e: 1, f: null, g: true }, 'body')).toEqual([]);
    expect(unsafeTextErrors('plain', 'body')).toEqual([]);
  });

  it('checks query and path objects under their own prefix', () => {
    expect(unsafeTextErrors({ action: '\u0000', limit: '10' }, 'querystring')).toEqual([{ field: 'querystring.action', message: expect.any(String) }]);
    expect(unsafeTextErrors({ requestId: 'abc\u0000defgh' }, 'params').map((e) => e.field)).toEqual(['params.requestId']);
  });

  it('reports at most 20 fields, however many are bad', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, '\u0000']));
    expect(unsafeTextErrors(many, 'body')).toHaveLength(20);
  });

  it('survives nesting deeper than the call stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const errors = unsafeTextErrors(deep, 'body');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field.startsWith('body.0.0.0')).toBe(true);
  });
});
