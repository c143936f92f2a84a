import { readFile, writeFile } from 'node:fs/promises';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { encryptKeystore } from './keystore.js';

/**
 * `paygate hot-wallet create --network ETH|SEP --out FILE [--passphrase-file FILE]`: a new key,
 * written only as an encrypted keystore v3 file (never shown); prints the address to fund.
 * The passphrase comes from the file or standard input (first line).
 */
export async function createHotWallet(
  args: { network: string | undefined; out: string | undefined; passphraseFile: string | undefined },
  io: { stdin: NodeJS.ReadableStream; out: (s: string) => void; err: (s: string) => void },
): Promise<number> {
  if (args.network !== 'ETH' && args.network !== 'SEP') {
    io.err('paygate hot-wallet create: --network ETH or --network SEP is required.\n');
    return 64;
  }
  if (args.out === undefined) {
    io.err('paygate hot-wallet create: --out FILE is required (the keystore file to write).\n');
    return 64;
  }
  let text: string;
  if (args.passphraseFile !== undefined) text = await readFile(args.passphraseFile, 'utf8');
  else {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    text = Buffer.concat(chunks).toString('utf8');
  }
  const passphrase = text.split(/\r?\n/)[0] ?? '';
  if (passphrase.length < 12) {
    io.err('paygate hot-wallet create: the passphrase must be at least 12 characters.\n');
    return 64;
  }
  const key = generatePrivateKey();
  // `wx`: never overwrite an existing keystore (that would lose the key of a funded wallet).
  await writeFile(args.out, encryptKeystore(key, passphrase), { flag: 'wx', mode: 0o600 });
  io.out(`${privateKeyToAccount(key).address}\n`);
  return 0;
}
