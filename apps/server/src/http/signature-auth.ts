import {
  BODY_DIGEST_COMPONENT,
  checkContentDigest,
  type HttpRequestParts,
  parseSignatureHeaders,
  REQUIRED_COMPONENTS,
  SIGNATURE_ALGORITHM,
  SignatureFormatError,
  verifyRequestSignatureAsync,
} from '@paygate/protocol';
import type { FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { ipAllowed } from '../modules/ip-allowlist/cidr.js';
import type { IpAllowlistService } from '../modules/ip-allowlist/service.js';
import type { CredentialCache } from '../modules/keypairs/credentials.js';
import type { NonceStore } from '../modules/keypairs/nonce-store.js';

/** Who a verified signed request comes from. */
export interface ApiPrincipal {
  readonly bpId: string;
  readonly bpName: string;
  readonly keyId: string;
  readonly environment: 'sandbox' | 'live';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the signature guard on `/v1/` routes once the request is authenticated. */
    principal?: ApiPrincipal;
    /** The key id named by the signature and its BP, when known — even if verification failed. */
    claimedKey?: { keyId: string; bpId: string };
    /** The error code this request was answered with, for the usage log. */
    errorCode?: string;
    /** …and its human message. */
    errorMessage?: string;
    /** Exact body bytes, kept by the JSON parser for Content-Digest. */
    rawBody?: Buffer;
  }
}

export interface SignatureGuardDeps {
  readonly credentials: CredentialCache;
  readonly nonces: NonceStore;
  readonly allowlist: IpAllowlistService;
  readonly clock: Clock;
  readonly windowSeconds: number;
}

const NONCE = /^[A-Za-z0-9._~+/=-]{16,128}$/;
const KEY_ID = /^kp_[0-9a-z]{26}$/;

export function principalOf(request: FastifyRequest): ApiPrincipal {
  if (request.principal === undefined) throw new AppError('signature_missing', 'Sign the request with your Secondary KeyPair.');
  return request.principal;
}

/**
 * Authenticates BP API requests (RFC 9421 HTTP Message Signatures, Ed25519). Runs at preValidation,
 * when the raw body is known but before the body is validated, so an unauthenticated caller learns
 * nothing about the route's schema. The order of checks is deliberate: cheap format and clock
 * checks first, then the key, the body digest and the signature; the IP allowlist and the nonce
 * only for requests that proved who they are, so nobody can burn another party's nonces.
 */
export function createSignatureGuard(deps: SignatureGuardDeps): preValidationAsyncHookHandler {
  return async function signatureGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    let parsed: ReturnType<typeof parseSignatureHeaders>;
    try {
      parsed = parseSignatureHeaders(request.headers);
    } catch (error: unknown) {
      if (error instanceof SignatureFormatError) {
        throw new AppError(error.reason === 'missing' ? 'signature_missing' : 'signature_malformed', `${error.message} See docs/request-signing.md.`);
      }
      throw error;
    }
    const { params, components } = parsed;
    const malformed = (detail: string) => new AppError('signature_malformed', `${detail} See docs/request-signing.md.`);
    if (params.keyid === undefined) throw malformed('The signature has no keyid parameter; set it to your KeyPair id (kp_…).');
    // Resolve the key first (cheap: cached) so that even a refused request is attributed to the
    // BP it names, in that BP's usage log; the checks below still answer in the documented order.
    const credential = KEY_ID.test(params.keyid) ? await deps.credentials.get(params.keyid) : null;
    if (credential !== null) request.claimedKey = { keyId: credential.keyId, bpId: credential.bpId };
    if (params.alg !== SIGNATURE_ALGORITHM)
      throw malformed(`The signature must declare alg="${SIGNATURE_ALGORITHM}"${params.alg === undefined ? '' : ` (got "${params.alg}")`}.`);
    if (params.created === undefined) throw malformed('The signature has no created parameter (Unix seconds).');
    if (params.nonce === undefined || !NONCE.test(params.nonce))
      throw malformed('The signature needs a nonce parameter of 16–128 URL-safe characters, unique per request.');
    const missing = REQUIRED_COMPONENTS.filter((c) => !components.includes(c));
    const body = request.rawBody ?? Buffer.alloc(0);
    if (body.length > 0 && !components.includes(BODY_DIGEST_COMPONENT)) missing.push(BODY_DIGEST_COMPONENT);
    if (missing.length > 0) throw malformed(`The signature must cover ${missing.map((m) => `"${m}"`).join(', ')}.`);

    const now = deps.clock.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const skew = nowSeconds - params.created;
    if (Math.abs(skew) > deps.windowSeconds || (params.expires !== undefined && params.expires < nowSeconds)) {
      throw new AppError(
        'signature_expired',
        `The signature was created at ${params.created} but the server time is ${nowSeconds} (${new Date(nowSeconds * 1000).toISOString()}); signatures are accepted within ±${deps.windowSeconds} s. Sync your clock (NTP) and sign each request just before sending it.`,
        { serverTime: nowSeconds, created: params.created, windowSeconds: deps.windowSeconds },
      );
    }

    if (credential === null)
      throw new AppError('key_unknown', `No KeyPair ${params.keyid}. Check the key id in your SDK configuration against the dashboard's KeyPair page.`);
    if (credential.revokedAt !== null) throw keyRevoked(params.keyid, credential.revokedAt);

    if (components.includes(BODY_DIGEST_COMPONENT)) {
      const header = request.headers['content-digest'];
      if (typeof header !== 'string') throw malformed('content-digest is covered but the Content-Digest header is missing.');
      const check = checkContentDigest(header, body);
      if (check === 'malformed' || check === 'unsupported') throw malformed('Content-Digest must be an RFC 9530 sha-256 digest: sha-256=:<base64>:.');
      if (check === 'mismatch')
        throw new AppError(
          'digest_mismatch',
          'Content-Digest does not match the body received. Compute it over the exact bytes you send, after serialising JSON.',
        );
    }

    const parts: HttpRequestParts = {
      method: request.method,
      target: request.raw.url ?? request.url,
      authority: request.host,
      scheme: request.protocol,
      headers: request.headers,
    };
    let valid: boolean;
    try {
      valid = await verifyRequestSignatureAsync(parts, parsed, credential.verifyKey);
    } catch (error: unknown) {
      if (error instanceof SignatureFormatError) throw malformed(error.message);
      throw error;
    }
    if (!valid) {
      throw new AppError(
        'signature_invalid',
        'The signature does not verify with this KeyPair. Sign the request as sent (method, path, query, Content-Digest) with the private key of this key id.',
      );
    }

    if (!ipAllowed(request.ip, await deps.allowlist.ranges(credential.bpId))) {
      throw new AppError(
        'ip_not_allowed',
        `Requests from ${request.ip} are not on this Business Partner's IP allowlist. Add the address on the dashboard's IP Whitelist page.`,
        { clientIp: request.ip },
      );
    }

    const outcome = await deps.nonces.consume(credential.keyId, params.nonce, new Date((params.created + deps.windowSeconds) * 1000));
    if (outcome === 'reused')
      throw new AppError('nonce_reused', 'This nonce was already used with this key: each request needs a fresh nonce (replays are refused).');
    if (outcome === 'key_revoked') {
      deps.credentials.invalidateKey(credential.keyId);
      const fresh = await deps.credentials.get(credential.keyId);
      throw keyRevoked(credential.keyId, fresh?.revokedAt ?? now);
    }
    request.principal = { bpId: credential.bpId, bpName: credential.bpName, keyId: credential.keyId, environment: credential.environment };
  };
}

function keyRevoked(keyId: string, revokedAt: Date): AppError {
  return new AppError(
    'key_revoked',
    `This KeyPair (${keyId}) was refreshed at ${revokedAt.toISOString()}; load the new one from the dashboard's KeyPair page.`,
    {
      revokedAt: revokedAt.toISOString(),
    },
  );
}
