import { providers, TronWeb } from 'tronweb';
import type { TronNode } from './server.js';

/** A real tronweb client pointed at the fake node (full and solidity API on the same port, like TronGrid). */
export function tronWebFor(
  node: TronNode,
  options: { readonly privateKey?: string; readonly timeoutMs?: number; readonly headers?: Record<string, string> } = {},
): TronWeb {
  const provider = () => new providers.HttpProvider(node.url, options.timeoutMs ?? 5000, '', '', options.headers ?? {});
  const tronWeb = new TronWeb({ fullNode: provider(), solidityNode: provider(), eventServer: provider() });
  if (options.privateKey !== undefined) tronWeb.setPrivateKey(options.privateKey.replace(/^0x/, ''));
  return tronWeb;
}

/** Tron test keys: Anvil's public dev keys double as Tron keys (same curve); never fund them for real. */
export const TRON_KEYS: readonly string[] = [
  'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
];

export function tronAddressOf(privateKey: string): string {
  const address = TronWeb.address.fromPrivateKey(privateKey.replace(/^0x/, ''));
  if (address === false) throw new Error('not a private key');
  return address;
}
