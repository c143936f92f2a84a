import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** The error a blocked connection fails with; the delivery log classes it as `blocked`. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'EBLOCKED';
  constructor(readonly address: string) {
    super(`Refused to connect to ${address}: not a public address (SSRF guard). An operator may allow it with PAYGATE_CALLBACK_ALLOWED_RANGES.`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Refuses callback connections to anything but public unicast addresses: loopback, private,
 * link-local (incl. cloud metadata 169.254.169.254), CGNAT, multicast, unspecified, broadcast,
 * reserved, IPv6 unique-local and link-local, and IPv4-mapped IPv6 forms of all of these — unless
 * the operator allowlists a range. The check runs on the address actually connected to (inside
 * the socket's DNS lookup, and for IP literals before connecting), so DNS rebinding cannot slip
 * an internal address in after a check.
 */
export class SsrfGuard {
  readonly #allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowedRanges: readonly string[]) {
    this.#allowed = allowedRanges.map((r) => ipaddr.parseCIDR(r));
  }

  /** Is a connection to this address allowed? */
  allows(address: string): boolean {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.process(address.replace(/^\[|\]$/g, ''));
    } catch (_error: unknown) {
      return false;
    }
    if (this.#allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return true;
    return ip.range() === 'unicast';
  }

  /** A `lookup` for net.connect that resolves, then drops blocked addresses (or fails). */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const opts = options;
    dnsLookup(hostname, { all: true, ...(opts.family !== undefined ? { family: opts.family } : {}) }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const list = Array.isArray(addresses) ? addresses : [];
      const allowed = list.filter((a) => this.allows(a.address));
      const first = allowed[0];
      if (first === undefined) {
        callback(new BlockedAddressError(list.map((a) => a.address).join(', ') || hostname), []);
        return;
      }
      if (opts.all === true) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };

  /** For URLs whose host is an IP literal (no DNS lookup happens): check before connecting. */
  checkUrl(url: string): void {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host) && !this.allows(host)) throw new BlockedAddressError(host);
  }
}
