/**
 * Compact JSON with object keys sorted recursively (by UTF-16 code unit, as `Array.prototype.sort`
 * does), the message format of the callback `Signature` header. Arrays keep their order;
 * `undefined` members are dropped, as `JSON.stringify` drops them.
 *
 * @example canonicalJson({ b: 1, a: { d: [2, 1], c: null } }) // '{"a":{"c":null,"d":[2,1]},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
