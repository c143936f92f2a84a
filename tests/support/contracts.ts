import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Abi, Hex } from 'viem';

const require = createRequire(import.meta.url);

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

interface Solc {
  compile(input: string): string;
}

export interface CompiledContract {
  readonly abi: Abi;
  readonly bytecode: Hex;
}

const cache = new Map<string, CompiledContract>();

/**
 * Compile a contract in tests/support/contracts with the npm `solc` compiler (WASM, offline),
 * once per process. The Solidity sources are the reviewed truth; nothing is pre-built.
 *
 * @example const tether = compileContract('TetherLike');
 */
export function compileContract(name: 'TetherLike' | 'EtherForwarder'): CompiledContract {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const solc = require('solc') as Solc;
  const file = `${name}.sol`;
  const source = readFileSync(fileURLToPath(new URL(`./contracts/${file}`, import.meta.url)), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { [file]: { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc failed on ${file}:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const contract = output.contracts[file]?.[name];
  if (contract === undefined) throw new Error(`solc produced no ${name} in ${file}`);
  const compiled = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` as Hex };
  cache.set(name, compiled);
  return compiled;
}
