import ipaddr from 'ipaddr.js';
import { AppError } from '../../lib/errors.js';

export type ParsedRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Normalise one allowlist entry: a CIDR range or a single address (which becomes /32 or /128).
 * Host bits must be zero, as PostgreSQL's cidr type requires; the error names the network the
 * user probably meant.
 */
export function normaliseCidr(input: string): string {
  const text = input.trim();
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (text.includes('/')) {
      [address, prefix] = ipaddr.parseCIDR(text);
    } else {
      address = ipaddr.parse(text);
      prefix = address.kind() === 'ipv4' ? 32 : 128;
    }
  } catch (_error: unknown) {
    throw new AppError('ip_entry_invalid', `"${text}" is not an IPv4/IPv6 address or CIDR range (e.g. 203.0.113.0/24, 2001:db8::/32).`, { entry: text });
  }
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
    prefix = Math.max(0, prefix - 96);
  }
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
  if (network.toString() !== address.toString()) {
    throw new AppError('ip_entry_invalid', `"${text}" has host bits set; did you mean ${network.toString()}/${prefix}?`, {
      entry: text,
      suggestion: `${network.toString()}/${prefix}`,
    });
  }
  return `${address.toString()}/${prefix}`;
}

export function parseRange(cidr: string): ParsedRange {
  return ipaddr.parseCIDR(cidr);
}

/** Does `ip` (as Fastify reports it, possibly IPv4-mapped IPv6) fall in any of `ranges`? */
export function ipAllowed(ip: string, ranges: readonly ParsedRange[]): boolean {
  if (ranges.length === 0) return true;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch (_error: unknown) {
    return false;
  }
  return ranges.some(([network, prefix]) => network.kind() === address.kind() && address.match(network, prefix));
}
