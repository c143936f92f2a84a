import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify, webcrypto } from 'node:crypto';
import { contentDigest } from './content-digest.js';
import { type InnerList, type Item, parseDictionary, StructuredFieldError, serializeInnerList, Token } from './structured-fields.js';

/**
 * HTTP Message Signatures (RFC 9421) as Paygate uses them for BP → Paygate API requests.
 * docs/request-signing.md is the normative description; this module is its implementation,
 * shared by the server (verification) and the SDK (signing).
 */

export const SIGNATURE_ALGORITHM = 'ed25519';
export const SIGNATURE_LABEL = 'sig1';
/** Components every signature must cover. */
export const REQUIRED_COMPONENTS: readonly string[] = ['@method', '@path', '@query'];
/** Must also be covered whenever the request has a body. */
export const BODY_DIGEST_COMPONENT = 'content-digest';

/** The parts of an HTTP request a signature can cover. Header names are lowercase. */
export interface HttpRequestParts {
  readonly method: string;
  /** Path and optional query exactly as sent on the wire, e.g. `/v1/transactions?limit=10`. */
  readonly target: string;
  /** `host[:port]`; needed only when `@authority` or `@target-uri` is covered. */
  readonly authority?: string;
  readonly scheme?: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface SignatureParameters {
  readonly created?: number;
  readonly expires?: number;
  readonly keyid?: string;
  readonly alg?: string;
  readonly nonce?: string;
}

export interface ParsedSignature {
  readonly label: string;
  readonly components: readonly string[];
  readonly params: SignatureParameters;
  /** Canonical serialisation of the Signature-Input member: the `@signature-params` value. */
  readonly signatureParams: string;
  readonly signature: Uint8Array;
}

/** The signature headers are absent, unparsable, or do not follow Paygate's profile. */
export class SignatureFormatError extends Error {
  override readonly name = 'SignatureFormatError';
  constructor(
    readonly reason: 'missing' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

function header(parts: HttpRequestParts, name: string): string | undefined {
  const value = parts.headers[name];
  if (value === undefined) return undefined;
  // RFC 9421 §2.1: strip each field line, then join multiple lines with ", ".
  return (typeof value === 'string' ? [value] : value).map((v) => v.trim()).join(', ');
}

function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return { path: path === '' ? '/' : path, query: q < 0 ? '' : target.slice(q + 1) };
}

/** The value of one covered component (RFC 9421 §2.1–2.2). Throws for unsupported or absent ones. */
export function componentValue(parts: HttpRequestParts, id: string): string {
  const { path, query } = splitTarget(parts.target);
  switch (id) {
    case '@method':
      return parts.method.toUpperCase();
    case '@path':
      return path;
    case '@query':
      return `?${query}`;
    case '@request-target':
      return parts.target;
    case '@authority':
      if (parts.authority === undefined) throw new SignatureFormatError('malformed', '@authority is covered but the request has no authority');
      return parts.authority.toLowerCase();
    case '@scheme':
      return (parts.scheme ?? 'https').toLowerCase();
    case '@target-uri':
      if (parts.authority === undefined) throw new SignatureFormatError('malformed', '@target-uri is covered but the request has no authority');
      return `${(parts.scheme ?? 'https').toLowerCase()}://${parts.authority.toLowerCase()}${parts.target}`;
    default: {
      if (id.startsWith('@')) throw new SignatureFormatError('malformed', `Derived component ${id} is not supported`);
      const value = header(parts, id);
      if (value === undefined) throw new SignatureFormatError('malformed', `Covered header "${id}" is not present in the request`);
      return value;
    }
  }
}

/**
 * The signature base (RFC 9421 §2.5): one `"component": value` line per covered component, then
 * the `"@signature-params"` line. This exact string is what Ed25519 signs.
 */
export function signatureBase(parts: HttpRequestParts, components: readonly string[], signatureParams: string): string {
  const lines = components.map((id) => {
    const value = componentValue(parts, id);
    if (/[\r\n]/.test(value)) throw new SignatureFormatError('malformed', `Component ${id} contains a line break`);
    return `"${id}": ${value}`;
  });
  lines.push(`"@signature-params": ${signatureParams}`);
  return lines.join('\n');
}

function asKeyObject(key: KeyObject | string, kind: 'private' | 'public'): KeyObject {
  if (typeof key !== 'string') return key;
  return kind === 'private' ? createPrivateKey(key) : createPublicKey(key);
}

export interface SignOptions {
  readonly keyId: string;
  /** Ed25519 private key: a KeyObject or PKCS#8 PEM. */
  readonly privateKey: KeyObject | string;
  /** Unix seconds; defaults to now. */
  readonly created?: number;
  /** Defaults to 128 random bits, base64url. */
  readonly nonce?: string;
  /** Covered components beyond the required ones (e.g. `@authority`, `content-type`). */
  readonly extraComponents?: readonly string[];
  readonly label?: string;
}

export interface RequestToSign {
  readonly method: string;
  /** Path and query (`/v1/me`), or an absolute URL. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

/**
 * Sign a request. Returns the headers to add: `signature-input`, `signature`, and
 * `content-digest` when there is a body.
 *
 * @example
 * const headers = signRequest({ method: 'GET', url: '/v1/me' }, { keyId: 'kp_…', privateKey: pem });
 * await fetch(`${base}/v1/me`, { headers });
 */
export function signRequest(request: RequestToSign, options: SignOptions): Record<string, string> {
  const url = new URL(request.url, 'http://placeholder.invalid');
  const absolute = /^https?:\/\//i.test(request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  const components = [...REQUIRED_COMPONENTS];
  const hasBody = request.body !== undefined && request.body.length > 0;
  if (hasBody && request.body !== undefined) {
    headers['content-digest'] = contentDigest(request.body);
    components.push(BODY_DIGEST_COMPONENT);
  }
  for (const extra of options.extraComponents ?? []) if (!components.includes(extra)) components.push(extra);

  const params: InnerList = {
    kind: 'inner-list',
    items: components.map((c): Item => ({ kind: 'item', value: c, params: new Map() })),
    params: new Map<string, string | number | Token>([
      ['created', options.created ?? Math.floor(Date.now() / 1000)],
      ['keyid', options.keyId],
      ['alg', SIGNATURE_ALGORITHM],
      ['nonce', options.nonce ?? randomBytes(16).toString('base64url')],
    ]),
  };
  const signatureParams = serializeInnerList(params);
  const parts: HttpRequestParts = {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    ...(absolute ? { authority: url.host, scheme: url.protocol.replace(':', '') } : {}),
    headers,
  };
  const base = signatureBase(parts, components, signatureParams);
  const signature = sign(null, Buffer.from(base, 'utf8'), asKeyObject(options.privateKey, 'private'));
  const label = options.label ?? SIGNATURE_LABEL;
  const out: Record<string, string> = {
    'signature-input': `${label}=${signatureParams}`,
    signature: `${label}=:${signature.toString('base64')}:`,
  };
  if (headers['content-digest'] !== undefined) out['content-digest'] = headers['content-digest'];
  return out;
}

function bareParam(list: InnerList, name: string): string | number | undefined {
  const value = list.params.get(name);
  if (value === undefined) return undefined;
  if (value instanceof Token) return value.value;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new SignatureFormatError('malformed', `Signature parameter "${name}" has the wrong type`);
}

/**
 * Parse `Signature-Input` and `Signature`. When several signatures are present, the one labelled
 * `sig1` is used, else the first that appears in both headers.
 */
export function parseSignatureHeaders(headers: Readonly<Record<string, string | readonly string[] | undefined>>): ParsedSignature {
  const joined = (name: string) => {
    const value = headers[name];
    return value === undefined ? undefined : typeof value === 'string' ? value : value.join(', ');
  };
  const inputHeader = joined('signature-input');
  const signatureHeader = joined('signature');
  if (inputHeader === undefined || signatureHeader === undefined || inputHeader.trim() === '' || signatureHeader.trim() === '') {
    throw new SignatureFormatError('missing', 'Sign the request: Signature-Input and Signature headers are required (RFC 9421).');
  }
  let inputs: ReturnType<typeof parseDictionary>;
  let signatures: ReturnType<typeof parseDictionary>;
  try {
    inputs = parseDictionary(inputHeader);
    signatures = parseDictionary(signatureHeader);
  } catch (error: unknown) {
    if (error instanceof StructuredFieldError)
      throw new SignatureFormatError('malformed', `Signature headers are not valid structured fields: ${error.message}`);
    throw error;
  }
  const labels = [...inputs.keys()].filter((l) => signatures.has(l));
  const label = labels.includes(SIGNATURE_LABEL) ? SIGNATURE_LABEL : labels[0];
  if (label === undefined) throw new SignatureFormatError('malformed', 'Signature-Input and Signature share no label');
  const input = inputs.get(label);
  const signature = signatures.get(label);
  if (input?.kind !== 'inner-list') throw new SignatureFormatError('malformed', `Signature-Input member "${label}" must be an inner list of components`);
  if (signature?.kind !== 'item' || !(signature.value instanceof Uint8Array))
    throw new SignatureFormatError('malformed', `Signature member "${label}" must be a byte sequence`);
  const components = input.items.map((item) => {
    if (typeof item.value !== 'string' || item.params.size > 0)
      throw new SignatureFormatError('malformed', 'Covered components must be plain strings without parameters');
    return item.value;
  });
  if (new Set(components).size !== components.length) throw new SignatureFormatError('malformed', 'A component is covered twice');
  const created = bareParam(input, 'created');
  const expires = bareParam(input, 'expires');
  const keyid = bareParam(input, 'keyid');
  const alg = bareParam(input, 'alg');
  const nonce = bareParam(input, 'nonce');
  if ((created !== undefined && !Number.isInteger(created)) || (expires !== undefined && !Number.isInteger(expires))) {
    throw new SignatureFormatError('malformed', 'created and expires must be integers (Unix seconds)');
  }
  return {
    label,
    components,
    params: {
      ...(typeof created === 'number' ? { created } : {}),
      ...(typeof expires === 'number' ? { expires } : {}),
      ...(keyid !== undefined ? { keyid: String(keyid) } : {}),
      ...(alg !== undefined ? { alg: String(alg) } : {}),
      ...(nonce !== undefined ? { nonce: String(nonce) } : {}),
    },
    signatureParams: serializeInnerList(input),
    signature: signature.value,
  };
}

/**
 * Verify with WebCrypto: the same check as {@link verifyRequestSignature}, but the Ed25519 work runs
 * on libuv's thread pool, off the event loop, so a server keeps serving other requests meanwhile.
 * `publicKey` comes from {@link importVerifyKey}.
 */
export async function verifyRequestSignatureAsync(parts: HttpRequestParts, parsed: ParsedSignature, publicKey: webcrypto.CryptoKey): Promise<boolean> {
  if (parsed.signature.length !== 64) return false;
  const base = signatureBase(parts, parsed.components, parsed.signatureParams);
  return webcrypto.subtle.verify('Ed25519', publicKey, parsed.signature, Buffer.from(base, 'utf8'));
}

/** Import an Ed25519 public key (KeyObject or SPKI PEM) for {@link verifyRequestSignatureAsync}. */
export function importVerifyKey(publicKey: KeyObject | string): Promise<webcrypto.CryptoKey> {
  const der = asKeyObject(publicKey, 'public').export({ format: 'der', type: 'spki' });
  return webcrypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
}

/** Verify the Ed25519 signature over the request's signature base. */
export function verifyRequestSignature(parts: HttpRequestParts, parsed: ParsedSignature, publicKey: KeyObject | string): boolean {
  if (parsed.signature.length !== 64) return false;
  const base = signatureBase(parts, parsed.components, parsed.signatureParams);
  return verify(null, Buffer.from(base, 'utf8'), asKeyObject(publicKey, 'public'), parsed.signature);
}
