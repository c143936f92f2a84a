import fc from 'fast-check';
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../../apps/server/src/lib/errors.js';

/**
 * Request generation from an OpenAPI 3.1 document, for the fuzz test: every operation's
 * parameters and body become fast-check arbitraries (valid values from their JSON Schemas, and
 * hostile mutations of them), and every answer is checked against what the document promises.
 */

export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  readonly parameters?: readonly { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }[];
  readonly requestBody?: { content: Record<string, { schema: JsonSchema }> };
  readonly responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  readonly security?: readonly Record<string, unknown>[];
}

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI template, e.g. `/api/bps/{bpId}/members`. */
  readonly path: string;
  readonly pathParams: readonly { name: string; schema: JsonSchema }[];
  readonly queryParams: readonly { name: string; required: boolean; schema: JsonSchema }[];
  readonly body: JsonSchema | undefined;
  /** Documented statuses → media type and schema of the answer (none for bodiless answers). */
  readonly responses: ReadonlyMap<number, { mediaType: string; schema: JsonSchema } | undefined>;
  readonly auth: 'signature' | 'session' | 'none';
}

/** Replace every `$ref` by the component it names (the documents have no recursive schemas). */
function inline(schema: JsonSchema, doc: OpenApiDocument, seen: readonly string[] = []): JsonSchema {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (target === undefined || seen.includes(name)) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return inline(target, doc, [...seen, name]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, inline(v, doc, seen)]));
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((v: JsonSchema) => inline(v, doc, seen));
    } else if ((key === 'items' || key === 'additionalProperties') && value !== null && typeof value === 'object') {
      out[key] = inline(value as JsonSchema, doc, seen);
    } else {
      out[key] = value;
    }
  }
  return out as JsonSchema;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Every operation of the document, with schemas inlined. */
export function operationsOf(document: unknown): Operation[] {
  const doc = document as OpenApiDocument;
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [lower, op] of Object.entries(item)) {
      const method = lower.toUpperCase();
      if (!METHODS.has(method)) continue;
      const parameters = op.parameters ?? [];
      const responses = new Map<number, { mediaType: string; schema: JsonSchema } | undefined>();
      for (const [status, response] of Object.entries(op.responses)) {
        const [mediaType, content] = Object.entries(response.content ?? {})[0] ?? [];
        responses.set(Number(status), mediaType !== undefined && content !== undefined ? { mediaType, schema: inline(content.schema, doc) } : undefined);
      }
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      out.push({
        method: method as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: inline(p.schema, doc) })),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: inline(p.schema, doc) })),
        body: bodySchema === undefined ? undefined : inline(bodySchema, doc),
        responses,
        auth: (op.security ?? []).some((s) => 'httpSignature' in s) ? 'signature' : path.startsWith('/api/') ? 'session' : 'none',
      });
    }
  }
  return out;
}

// ── values ─────────────────────────────────────────────────────────────────────────────

/** Known-good values by field name, so generated requests also get past the first check. */
export type Hints = Readonly<Record<string, readonly unknown[]>>;

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return [...schema.type];
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties !== undefined) return ['object'];
  return [];
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, Math.max(minLength, 40));
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.pattern !== undefined) {
    try {
      const regex = new RegExp(schema.pattern);
      return fc.stringMatching(regex).filter((s) => s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
    } catch {
      // A pattern fast-check cannot generate from: fall back to plain strings.
    }
  }
  // Mostly plain letters, sometimes any grapheme or any code point (lone surrogates included).
  const unit = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  );
  return fc.string({ minLength, maxLength, unit });
}

/**
 * Values the schema accepts (mostly: formats and cross-field rules are not modelled). With
 * `poison`, free-text strings (no enum, pattern or format) are sometimes drawn from it instead,
 * so hostile text lands in fields whose values really reach the service and the database.
 */
export function validValue(schema: JsonSchema, hints: Hints, depth = 0, poison?: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => validValue(s, hints, depth, poison)));
  if (schema.allOf !== undefined && schema.allOf[0] !== undefined) return validValue(schema.allOf[0], hints, depth, poison);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type }, hints, depth, poison)));
  switch (types[0]) {
    case 'string':
      return poison !== undefined && schema.pattern === undefined && schema.format === undefined
        ? fc.oneof(poison, stringArbitrary(schema))
        : stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1_000_000, -2_147_483_648), max: Math.min(schema.maximum ?? 1_000_000, 2_147_483_647) });
    case 'number':
      return fc.oneof(
        fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1000) }),
        fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items === undefined ? fc.jsonValue({ maxDepth: 1 }) : validValue(schema.items, hints, depth + 1, poison), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(fc.string({ maxLength: 8 }), validValue(schema.additionalProperties, hints, depth + 1, poison), { maxKeys: 3 });
      }
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) {
        const hinted = hints[name];
        const generated = depth > 4 ? fc.constant(null) : validValue(property, hints, depth + 1, poison);
        const hint = hinted !== undefined && hinted.length > 0 ? fc.constantFrom(...hinted) : undefined;
        if (hint === undefined) record[name] = generated;
        else if (poison !== undefined && typeof hinted?.[0] === 'string')
          record[name] = fc.oneof({ weight: 3, arbitrary: hint }, { weight: 2, arbitrary: poison }, generated);
        else record[name] = fc.oneof({ weight: 4, arbitrary: hint }, generated);
      }
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in record) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Text no database stores as sent: NUL and unpaired surrogates. */
export const UNSTORABLE_STRINGS: readonly string[] = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800', 'ok\u0000'];

/** Strings that have broken servers before: storage, encoding, parsing, dates, sizes. */
export const HOSTILE_STRINGS: readonly string[] = [
  ...UNSTORABLE_STRINGS,
  '',
  ' ',
  'x'.repeat(5000),
  '😀'.repeat(300),
  '\u202e\u0301',
  "'; drop table users; --",
  '%00',
  '../../etc/passwd',
  'null',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-23:59',
  '0001-01-01T00:00:00+00:01',
  '2024-02-30T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '1e400',
  '-1',
  '0x10',
  'NaN',
  '99999999999999999999999999999999',
  '0.0000000000000000000000001',
];

const HOSTILE_NUMBERS: readonly unknown[] = [1e308, -1e308, 2 ** 53 + 2, -0, 0.5, 5e-324, -1, 0, 2_147_483_648, Number.MAX_SAFE_INTEGER];
const WRONG_TYPES: readonly unknown[] = [{}, [], null, true, 'text', 123, [[[]]], { nested: { deeper: [1] } }];

/** Where a mutation can apply: every value of a JSON document, as a path of keys. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  const out: (readonly (string | number)[])[] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) out.push(...pathsOf(item, [...prefix, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function getAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current;
}

function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: unknown = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  parent[last] = replacement;
  return copy;
}

export type Mutation = 'string' | 'number' | 'wrong-type' | 'drop-field' | 'extra-field' | 'hostile-key';

/** A valid value with one hostile change: `where` picks the place, `what` the replacement (any naturals). */
export function mutate(value: unknown, mutation: Mutation, where: number, what: number): unknown {
  const paths = pathsOf(value);
  const choose = <T>(items: readonly T[]): T => items[where % items.length] as T;
  const hostile = <T>(items: readonly T[]): T => items[what % items.length] as T;
  switch (mutation) {
    case 'string': {
      const strings = paths.filter((p) => typeof getAt(value, p) === 'string');
      return setAt(value, strings.length > 0 ? choose(strings) : [], hostile(HOSTILE_STRINGS));
    }
    case 'number': {
      const numbers = paths.filter((p) => typeof getAt(value, p) === 'number');
      return setAt(value, numbers.length > 0 ? choose(numbers) : choose(paths), hostile(HOSTILE_NUMBERS));
    }
    case 'wrong-type':
      return setAt(value, choose(paths), hostile(WRONG_TYPES));
    case 'drop-field': {
      const fields = paths.filter((p) => p.length > 0 && typeof p[p.length - 1] === 'string');
      if (fields.length === 0) return value;
      const field = choose(fields);
      const copy: unknown = structuredClone(value);
      delete (getAt(copy, field.slice(0, -1)) as Record<string, unknown>)[field[field.length - 1] as string];
      return copy;
    }
    case 'extra-field':
    case 'hostile-key': {
      const objects = paths.filter((p) => {
        const v = getAt(value, p);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      if (objects.length === 0) return value;
      const at = choose(objects);
      const key =
        mutation === 'extra-field' ? hostile(['isAdmin', 'role', 'bpId', 'constructor', 'toString', 'x']) : hostile(['\u0000', 'k\ud800', 'a\u0000b']);
      return setAt(value, at, { ...(getAt(value, at) as Record<string, unknown>), [key]: hostile(['x', 1, true, null]) });
    }
  }
}

export const MUTATIONS: readonly Mutation[] = ['string', 'number', 'wrong-type', 'drop-field', 'extra-field', 'hostile-key'];

// ── the wire ──────────────────────────────────────────────────────────────────────────

/**
 * Percent-encode like a careless client: UTF-8 where possible, and a lone surrogate as the three
 * bytes it would take in CESU-8 (invalid UTF-8, which the server must cope with).
 */
export function encodeLoosely(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/** A parameter value as text: JSON scalars as clients write them, anything else as JSON. */
export function asParameterText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

// ── checking answers ──────────────────────────────────────────────────────────────────

const compiled = new WeakMap<JsonSchema, z.ZodType>();
function zodOf(schema: JsonSchema): z.ZodType {
  let zod = compiled.get(schema);
  if (zod === undefined) {
    zod = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    compiled.set(schema, zod);
  }
  return zod;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** What is wrong with an answer, measured against the operation's documentation (empty = fine). */
export function problemsWith(op: Operation, answer: Answer): string[] {
  const out: string[] = [];
  if (answer.status >= 500) out.push(`server error ${answer.status}`);
  if (!op.responses.has(answer.status)) out.push(`status ${answer.status} is not documented (documented: ${[...op.responses.keys()].join(', ')})`);
  const documented = op.responses.get(answer.status);
  const contentType = String(answer.headers['content-type'] ?? '');
  if (answer.status >= 400) {
    if (!contentType.startsWith('application/problem+json')) out.push(`error with content-type "${contentType}"`);
    let problem: Record<string, unknown> = {};
    try {
      problem = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      out.push('error body is not JSON');
    }
    if (documented !== undefined && !zodOf(documented.schema).safeParse(problem).success) out.push('error body is not the Problem shape');
    if (problem.status !== answer.status) out.push(`problem.status ${String(problem.status)} differs from ${answer.status}`);
    const entry = ERROR_CATALOGUE[problem.code as ErrorCode] as { status: number } | undefined;
    if (entry?.status !== answer.status) out.push(`code ${String(problem.code)} is not a catalogue code of status ${answer.status}`);
    if (problem.requestId !== answer.headers['x-request-id']) out.push('requestId differs from x-request-id');
    if (/\n\s+at |node_modules|\.ts:\d+/.test(answer.body)) out.push('error body shows internals');
  } else if (documented !== undefined) {
    if (!contentType.startsWith(documented.mediaType)) out.push(`content-type "${contentType}", documented ${documented.mediaType}`);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      out.push('body is not JSON');
    }
    const result = zodOf(documented.schema).safeParse(json);
    if (!result.success) out.push(`body does not match the documented schema: ${result.error.issues[0]?.path.join('.')} ${result.error.issues[0]?.message}`);
  }
  return out;
}
