/**
 * The portable body profile (docs/callbacks.md, "Portable body profile"). AkashicPay-style
 * verifiers do not hash the bytes they received: they parse the body and serialise it again with
 * their own JSON encoder (Go `encoding/json`, PHP `json_encode`, Java, JavaScript), then compare
 * HMACs. A body reproduces Paygate's bytes in every one of them only if it avoids everything those
 * encoders disagree on. Every callback body Paygate signs keeps to these rules:
 *
 * - the body is a non-empty JSON object; every object in it has at least one member — PHP decodes
 *   `{}` to an empty array and encodes it back as `[]`;
 * - no arrays — PHP's recursive `ksort(SORT_STRING)` reorders lists of more than ten items, and
 *   `[]` is as fragile as `{}`;
 * - no `null` — a member with no value is absent (some encoders drop null members);
 * - numbers only as safe integers (|n| ≤ 2^53 − 1) — Go decodes every number to float64, so
 *   larger integers and anything written like `1.0` or `1e3` come back different;
 * - member names are ASCII letters, digits and `_`, starting with a letter — PHP turns a
 *   numeric name like `"0"` into an integer key (and an object of those into a list);
 * - strings use only printable ASCII (U+0020–U+007E) except `&`, `<`, `>`, `'` and `=` — PHP
 *   escapes every non-ASCII character as `\uXXXX`, Go escapes `&`, `<`, `>` and U+2028/U+2029,
 *   Java's Gson (by default) also `'` and `=`, and the encoders write control characters in
 *   different escape forms.
 *
 * No dependencies, so the SDK (and any BP) can run the same check.
 */

/** Characters a string in a portable body may contain (the empty string is allowed too). */
export const PORTABLE_TEXT = /^[\x20-\x25\x28-\x3b\x3f-\x7e]*$/;

/** Member names of a portable body: ASCII letters, digits and `_`, starting with a letter. */
export const PORTABLE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Objects nested deeper than this are refused (PHP's `json_decode` stops at 512; bodies are shallow). */
export const PORTABLE_MAX_DEPTH = 16;

/** Which rule a value broke. */
export type PortableBodyRule = 'not_object' | 'empty_object' | 'array' | 'null' | 'number' | 'text' | 'key' | 'type' | 'depth';

export interface PortableBodyViolation {
  /** Where, as a JSONPath-like path: `$`, `$.internalFee`, `$.failureReason`. */
  readonly path: string;
  readonly rule: PortableBodyRule;
  readonly message: string;
}

/** True when every character of `text` is in the portable set ({@link PORTABLE_TEXT}). */
export function isPortableText(text: string): boolean {
  return PORTABLE_TEXT.test(text);
}

/**
 * Free text from outside (a node's failure message, say) made portable: control characters and
 * whitespace become single spaces, every other character outside the set becomes `?`, the result
 * is trimmed and cut to `maxLength`. Use it where text cannot be refused (it comes from a chain);
 * text from an API request should be refused instead, so the caller can fix it.
 *
 * @example toPortableText('reverted: balance < amount\u2028(ü)', 200) // 'reverted: balance ? amount (?)'
 */
export function toPortableText(text: string, maxLength: number): string {
  let out = '';
  for (const char of text) {
    if (isPortableText(char)) out += char;
    else if (/^[\s\p{Cc}\p{Zl}\p{Zp}]$/u.test(char)) out += ' ';
    else out += '?';
  }
  return out.replace(/ {2,}/g, ' ').trim().slice(0, maxLength).trimEnd();
}

function describe(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code >= 0x20 && code < 0x7f ? `"${char}" (${hex})` : hex;
}

function firstForeign(text: string): string {
  for (const char of text) if (!isPortableText(char)) return describe(char);
  return '';
}

function pathOf(parent: string, key: string): string {
  return PORTABLE_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function visit(value: unknown, path: string, depth: number, out: PortableBodyViolation[]): void {
  if (value === null) {
    out.push({ path, rule: 'null', message: `${path} is null; leave the member out instead` });
    return;
  }
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      if (!isPortableText(value)) out.push({ path, rule: 'text', message: `${path} contains ${firstForeign(value)}, which an SDK's JSON encoder re-escapes` });
      return;
    case 'number':
      if (!Number.isSafeInteger(value))
        out.push({ path, rule: 'number', message: `${path} is ${value}; only safe integers survive every decoder (use a decimal string)` });
      return;
    case 'object':
      break;
    default:
      out.push({ path, rule: 'type', message: `${path} is a ${typeof value}, not JSON` });
      return;
  }
  if (Array.isArray(value)) {
    out.push({ path, rule: 'array', message: `${path} is an array; PHP's recursive ksort reorders lists and [] is not portable` });
    return;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    out.push({ path, rule: 'type', message: `${path} is a ${value.constructor?.name ?? 'class instance'}, not a plain object` });
    return;
  }
  if (depth > PORTABLE_MAX_DEPTH) {
    out.push({ path, rule: 'depth', message: `${path} is nested deeper than ${PORTABLE_MAX_DEPTH} objects` });
    return;
  }
  // `undefined` members are dropped by JSON.stringify (and canonicalJson): they are simply absent.
  const members = Object.entries(value).filter(([, v]) => v !== undefined);
  if (members.length === 0) {
    out.push({ path, rule: 'empty_object', message: `${path} is an empty object; PHP re-encodes {} as [] (leave the member out)` });
    return;
  }
  for (const [key, member] of members) {
    const child = pathOf(path, key);
    if (!PORTABLE_KEY.test(key))
      out.push({ path: child, rule: 'key', message: `member name ${JSON.stringify(key)} is not ASCII letters, digits and _ starting with a letter` });
    visit(member, child, depth + 1, out);
  }
}

/**
 * Every way `body` breaks the portable body profile; empty when it keeps to it.
 *
 * @example portableBodyViolations({ amount: '1', internalFee: {} }) // [{ path: '$.internalFee', rule: 'empty_object', … }]
 */
export function portableBodyViolations(body: unknown): PortableBodyViolation[] {
  const out: PortableBodyViolation[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    out.push({ path: '$', rule: 'not_object', message: 'A callback body is a JSON object' });
    return out;
  }
  visit(body, '$', 1, out);
  return out;
}

export function isPortableBody(body: unknown): boolean {
  return portableBodyViolations(body).length === 0;
}

/** A body that is about to be signed breaks the portable profile: a bug in whatever built it. */
export class NonPortableBodyError extends Error {
  override readonly name = 'NonPortableBodyError';
  constructor(readonly violations: readonly PortableBodyViolation[]) {
    super(`Callback body is not portable (AkashicPay SDKs would re-serialise it differently): ${violations.map((v) => v.message).join('; ')}`);
  }
}

/** Throw {@link NonPortableBodyError} unless `body` keeps to the portable body profile. */
export function assertPortableBody(body: unknown): void {
  const violations = portableBodyViolations(body);
  if (violations.length > 0) throw new NonPortableBodyError(violations);
}
