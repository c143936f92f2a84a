import type { Currency } from '../payments/currencies.js';

/** EIP-155 chain ids of the Ethereum networks Paygate receives on. */
const ETHEREUM_CHAIN_ID: Readonly<Record<string, number>> = { ETH: 1, SEP: 11_155_111 };

/**
 * USDT's ERC-20 contract per Ethereum network. Sepolia has no canonical USDT, so the sandbox has
 * none and its QR code carries the bare address (a wallet then asks which token to send).
 */
const ERC20_USDT: Readonly<Record<string, string>> = { ETH: '0xdAC17F958D2ee523a2206206994597C13D831ec7' };

/**
 * What the QR code of a deposit option encodes: an EIP-681 payment request where wallets
 * understand one (Ethereum: native value, or an ERC-20 `transfer` when the token contract is
 * known), otherwise the bare address. Tron has no payment URI that wallets agree on, so Tron
 * codes carry the address, which every Tron wallet scans.
 *
 * @example
 * paymentUri(sep, '0xAb…', 4167000000000000n) // 'ethereum:0xAb…@11155111?value=4167000000000000'
 */
export function paymentUri(currency: Currency, address: string, units: bigint | null): string {
  const chainId = ETHEREUM_CHAIN_ID[currency.network];
  if (currency.chain !== 'ethereum' || chainId === undefined) return address;
  if (currency.tokenSymbol === null) return `ethereum:${address}@${chainId}${units === null ? '' : `?value=${units}`}`;
  const contract = ERC20_USDT[currency.network];
  if (contract === undefined) return address;
  return `ethereum:${contract}@${chainId}/transfer?address=${address}${units === null ? '' : `&uint256=${units}`}`;
}
