import { readFile } from 'node:fs/promises';
import { createPublicClient, getAddress, http, isAddress } from 'viem';
import type { Config } from '../config.js';
import { lockEmbeddedDatabase } from '../db/data-dir-lock.js';
import { openDatabase } from '../db/database.js';
import { killingFailpoints } from '../lib/failpoints.js';
import { decryptKeystore } from '../modules/chains/ethereum/keystore.js';
import { EthereumSigner } from '../modules/chains/ethereum/signer.js';
import { PayoutStore } from '../modules/chains/payouts/store.js';
import { formatAmount } from '../modules/payments/amounts.js';
import { AccountKeyError, assertMatches, parseAccountKey } from './account-key.js';
import { sweep } from './sweep.js';

export interface SweepArguments {
  readonly network: string | undefined;
  readonly to: string | undefined;
  readonly keyFile: string | undefined;
  readonly dryRun: boolean;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `paygate sweep --network ETH|SEP --to ADDRESS [--key-file FILE] [--dry-run]`: the account key
 * (mnemonic or xprv) comes from the file or standard input, is checked against the configured
 * xpub before anything happens, and is never stored or logged. Returns the exit code.
 */
export async function runSweep(
  config: Config,
  args: SweepArguments,
  io: { stdin: NodeJS.ReadableStream; out: (s: string) => void; err: (s: string) => void },
): Promise<number> {
  if (args.network !== 'ETH' && args.network !== 'SEP') {
    io.err('paygate sweep: --network ETH or --network SEP is required.\n');
    return 64;
  }
  if (args.to === undefined || !isAddress(args.to, { strict: false })) {
    io.err('paygate sweep: --to must be the 0x address that receives the funds (e.g. your cold wallet).\n');
    return 64;
  }
  const node = config.payouts.ethereumNodes[args.network];
  if (node === undefined) {
    io.err(`paygate sweep: no ${args.network} node configured; set ${args.network === 'ETH' ? 'PAYGATE_ETHEREUM_RPC_URL' : 'PAYGATE_SEPOLIA_RPC_URL'}.\n`);
    return 78;
  }
  const keyText = args.keyFile !== undefined ? await readFile(args.keyFile, 'utf8') : await readStdin(io.stdin);
  let account: ReturnType<typeof parseAccountKey>;
  try {
    account = parseAccountKey(keyText);
  } catch (error: unknown) {
    if (!(error instanceof AccountKeyError)) throw error;
    io.err(`paygate sweep: ${error.message}\n`);
    return 65;
  }
  // An embedded database is one process's at a time: sweeping while paygate runs on it is refused.
  const lock = lockEmbeddedDatabase(config.database);
  const database = await openDatabase(config.database).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  try {
    const xpub = await database.db.selectFrom('chain_keys').select('xpub').where('chain', '=', 'ethereum').executeTakeFirst();
    if (xpub === undefined) {
      io.err('paygate sweep: this database has no Ethereum xpub yet (no address was ever issued); nothing to sweep.\n');
      return 0;
    }
    try {
      assertMatches(account, xpub.xpub);
    } catch (error: unknown) {
      if (!(error instanceof AccountKeyError)) throw error;
      io.err(`paygate sweep: ${error.message}\n`);
      return 65;
    }
    const targets = (
      await database.db
        .selectFrom('deposit_addresses')
        .select(['address', 'derivation_index'])
        .where('chain', '=', 'ethereum')
        .where('network', '=', args.network)
        .orderBy('derivation_index')
        .execute()
    ).map((r) => ({ address: r.address, index: r.derivation_index }));
    const client = createPublicClient({ transport: http(node.rpcUrl, { timeout: 15_000, retryCount: 3 }) });
    const chainId = await client.getChainId();
    if (chainId !== node.chainId) {
      io.err(`paygate sweep: the node serves chain ${chainId}, not ${node.chainId} (${args.network}).\n`);
      return 78;
    }
    const files = config.payouts.hotWallets[args.network];
    let topUp: Parameters<typeof sweep>[2]['topUp'] = null;
    if (files !== undefined && !args.dryRun) {
      const [keystore, passphrase] = await Promise.all([readFile(files.keystoreFile, 'utf8'), readFile(files.passphraseFile, 'utf8')]);
      const hot = new EthereumSigner({
        network: args.network,
        chainId: node.chainId,
        rpcUrl: node.rpcUrl,
        privateKey: decryptKeystore(keystore, passphrase.replace(/\r?\n$/, '')),
        usdtContract: node.usdtContract,
        confirmations: node.confirmations,
        maxFeePerGasWei: config.payouts.maxFeePerGasWei,
        nativeGasLimit: 21_000n,
        tokenGasLimit: config.payouts.tokenGasLimit,
      });
      const store = new PayoutStore(database.db);
      await store.ensureWallet(args.network, hot.address);
      // The hot wallet's nonce comes from the payout pipeline's counter (row-locked), so a top-up
      // never collides with a payout; it is broadcast before the counter moves on.
      topUp = (to, amount) =>
        database.db.transaction().execute(async (trx) => {
          const counter = await store.lockNonce(trx, args.network ?? '');
          const mined = await hot.minedNonce();
          // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
          const nonce = counter > mined ? counter : mined;
          const signed = await hot.sign({ transactionId: 'sweep-top-up', network: hot.network, token: null, to, amount }, { nonce, replacing: null });
          const sent = await hot.broadcast(signed.raw);
          if (sent.kind === 'rejected') throw new Error(`the hot wallet cannot top up gas: ${sent.reason}`);
          await store.setNextNonce(trx, hot.network, nonce + 1n);
          return signed.hash as `0x${string}`;
        });
    }
    io.out(`${args.dryRun ? 'Dry run: nothing is sent. ' : ''}Sweeping ${targets.length} ${args.network} deposit addresses to ${getAddress(args.to)}\n`);
    const summary = await sweep(account, targets, {
      network: args.network,
      chainId: node.chainId,
      client,
      usdt: node.usdtContract,
      to: getAddress(args.to),
      maxFeePerGasWei: config.payouts.maxFeePerGasWei,
      tokenGasLimit: config.payouts.tokenGasLimit,
      dryRun: args.dryRun,
      topUp,
      out: (line) => io.out(`${line}\n`),
      failpoints: killingFailpoints(config.payouts.failpoints),
    });
    io.out(
      `${args.dryRun ? 'Would sweep' : 'Swept'}: ${summary.swept} of ${summary.addresses} addresses, ${formatAmount(summary.eth, 18)} ETH and ${formatAmount(summary.usdt, 6)} USDT moved.\n`,
    );
    for (const line of summary.skipped) io.out(`  left: ${line}\n`);
    return summary.skipped.length > 0 ? 2 : 0;
  } finally {
    account.wipePrivateData();
    await database.close();
    lock?.release();
  }
}
