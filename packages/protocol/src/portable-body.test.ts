import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertPortableBody,
  isPortableBody,
  isPortableText,
  NonPortableBodyError,
  PORTABLE_MAX_DEPTH,
  type PortableBodyRule,
  portableBodyViolations,
  toPortableText,
} from './portable-body.js';

const BODY = {
  amount: '249.75',
  callbackType: 'deposit',
  confirmations: 19,
  identifier: 'user.1_a:b@c-d',
  internalFee: { deposit: '0.25' },
  referenceId: 'order/2026/1',
  settled: true,
  failureReason: 'quoted "x" and back\\slash, (parens) [brackets] {braces} #1 $2 %3 *+,-./:;?@^_`|~!',
};

const rulesOf = (body: unknown): [string, PortableBodyRule][] => portableBodyViolations(body).map((v) => [v.path, v.rule]);

describe('portable body profile', () => {
  it('accepts a body that keeps to it, and ignores undefined members (JSON drops them)', () => {
    expect(portableBodyViolations(BODY)).toEqual([]);
    expect(isPortableBody({ ...BODY, txHash: undefined })).toBe(true);
    expect(() => assertPortableBody(BODY)).not.toThrow();
  });

  it("the text set is exactly printable ASCII without & ' < = >, checked over every UTF-16 code unit", () => {
    const refused = new Set(['&', "'", '<', '=', '>']);
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      const expected = code >= 0x20 && code <= 0x7e && !refused.has(char);
      if (isPortableText(char) !== expected) expect.fail(`U+${code.toString(16)} should be ${expected ? 'allowed' : 'refused'}`);
    }
    expect(isPortableText('')).toBe(true);
    expect(isPortableText('😀')).toBe(false);
  });

  it('names every violation with its path and rule', () => {
    expect(
      rulesOf({
        internalFee: {},
        list: ['a'],
        empty: [],
        referenceId: null,
        fraction: 1.5,
        big: 2 ** 53,
        infinite: Number.POSITIVE_INFINITY,
        amp: 'a&b',
        lt: '<',
        gt: '>',
        quote: "it's",
        equals: 'a=b',
        lineSeparator: 'a\u2028b',
        paragraphSeparator: '\u2029',
        accent: 'café',
        emoji: '😀',
        newline: 'a\nb',
        nul: '\u0000',
        del: '\u007f',
        lone: '\ud800',
        nested: { deeper: { fine: 'ok', bad: {} } },
      }),
    ).toEqual([
      ['$.internalFee', 'empty_object'],
      ['$.list', 'array'],
      ['$.empty', 'array'],
      ['$.referenceId', 'null'],
      ['$.fraction', 'number'],
      ['$.big', 'number'],
      ['$.infinite', 'number'],
      ['$.amp', 'text'],
      ['$.lt', 'text'],
      ['$.gt', 'text'],
      ['$.quote', 'text'],
      ['$.equals', 'text'],
      ['$.lineSeparator', 'text'],
      ['$.paragraphSeparator', 'text'],
      ['$.accent', 'text'],
      ['$.emoji', 'text'],
      ['$.newline', 'text'],
      ['$.nul', 'text'],
      ['$.del', 'text'],
      ['$.lone', 'text'],
      ['$.nested.deeper.bad', 'empty_object'],
    ]);
    expect(portableBodyViolations({ s: 'x\u2028' })[0]?.message).toContain('U+2028');
    expect(portableBodyViolations({ s: 'a&b' })[0]?.message).toContain('"&" (U+0026)');
  });

  it('refuses member names PHP or an encoder would change, and non-JSON values', () => {
    expect(rulesOf({ '0': 'a', '12': 'b', 'a-b': 'c', '': 'd', é: 'e', _x: 'f', [`a${'b'.repeat(64)}`]: 'g', ok_1: 'h' })).toEqual([
      ['$["0"]', 'key'],
      ['$["12"]', 'key'],
      ['$["a-b"]', 'key'],
      ['$[""]', 'key'],
      ['$["é"]', 'key'],
      ['$["_x"]', 'key'],
      [`$["a${'b'.repeat(64)}"]`, 'key'],
    ]);
    expect(rulesOf({ b: 1n, f: () => 1, d: new Date(0), m: new Map([['a', 1]]), s: Symbol('x') })).toEqual([
      ['$.b', 'type'],
      ['$.f', 'type'],
      ['$.d', 'type'],
      ['$.m', 'type'],
      ['$.s', 'type'],
    ]);
    for (const top of [null, undefined, 'text', 1, true, ['a'], []]) expect(rulesOf(top)).toEqual([['$', 'not_object']]);
    expect(rulesOf({})).toEqual([['$', 'empty_object']]);
    expect(rulesOf({ a: undefined })).toEqual([['$', 'empty_object']]);
    expect(rulesOf(Object.assign(Object.create(null), { a: 'x' }))).toEqual([]);
  });

  it('accepts safe integers at their edges and booleans; refuses the first integers past them', () => {
    expect(rulesOf({ a: 0, b: Number.MAX_SAFE_INTEGER, c: Number.MIN_SAFE_INTEGER, d: false })).toEqual([]);
    expect(rulesOf({ a: Number.MAX_SAFE_INTEGER + 1, b: Number.MIN_SAFE_INTEGER - 1, c: Number.NaN })).toEqual([
      ['$.a', 'number'],
      ['$.b', 'number'],
      ['$.c', 'number'],
    ]);
  });

  it(`refuses objects nested deeper than ${PORTABLE_MAX_DEPTH}`, () => {
    const nest = (n: number): Record<string, unknown> => (n === 1 ? { leaf: 'x' } : { a: nest(n - 1) });
    expect(isPortableBody(nest(PORTABLE_MAX_DEPTH))).toBe(true);
    expect(rulesOf(nest(PORTABLE_MAX_DEPTH + 1)).map(([, rule]) => rule)).toEqual(['depth']);
  });

  it('assertPortableBody throws a named error carrying every violation', () => {
    try {
      assertPortableBody({ internalFee: {}, note: 'a<b' });
      expect.fail('should have thrown');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(NonPortableBodyError);
      if (!(error instanceof NonPortableBodyError)) return;
      expect(error.name).toBe('NonPortableBodyError');
      expect(error.violations.map((v) => v.path)).toEqual(['$.internalFee', '$.note']);
      expect(error.message).toMatch(/\$\.internalFee is an empty object.*\$\.note contains "<"/);
    }
  });

  it('toPortableText: always portable and within the length; portable text passes unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 250 }), (text, max) => {
        const out = toPortableText(text, max);
        expect(isPortableText(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/ {2}/);
      }),
      { numRuns: 500 },
    );
    const portable = fc.string({ unit: fc.constantFrom(...'abc XYZ 019 "\\/()[]{}#$%*+,-.:;?@^_`|~!'), maxLength: 100 });
    fc.assert(
      fc.property(portable, (text) => {
        const canonical = text.replace(/ {2,}/g, ' ').trim();
        expect(toPortableText(canonical, 200)).toBe(canonical);
      }),
    );
    expect(toPortableText('reverted: balance < amount\u2028(ü) & more\r\n\tend', 200)).toBe('reverted: balance ? amount (?) ? more end');
    expect(toPortableText('\u2028\u0000  ', 10)).toBe('');
  });
});
