/**
 * Tron leg of the chain-scan benchmark, on the java-tron node double: blocks of ≈300 TRC-20
 * transfers, read through the real tronweb client by the Tron reader, matched against 100,000
 * deposit addresses. Goal: ≥ 100× real time (Tron makes one block per 3 s).
 *
 *   npx tsx bench/chain-scan-tron.ts [blocks=40] [transfersPerBlock=300]
 *
 * The matching is an in-memory set here (the scanner does it with one database query per
 * batch); this leg measures what is Tron-specific: fetching, parsing and filtering blocks.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { createTronWeb } from '../apps/server/src/modules/chains/tron/client.js';
import { TRON_GENESIS_BLOCK_ID } from '../apps/server/src/modules/chains/tron/genesis.js';
import { TronChainReader } from '../apps/server/src/modules/chains/tron/reader.js';
import { base58FromHex } from '../apps/server/src/modules/chains/tron/wire.js';
import { encodeRawData, TRON_KEYS, TronNode, toHex41, tronAddressOf } from '../tests/support/tron-node/index.js';

const blocks = Number(process.argv[2] ?? 40);
const perBlock = Number(process.argv[3] ?? 300);
const ADDRESSES = 100_000;
const BLOCK_SECONDS = 3;

const node = await TronNode.start({ solidLag: 19 });
try {
  const [payerKey = ''] = TRON_KEYS;
  const payer = tronAddressOf(payerKey);
  const usdt = node.deployToken('USDT');
  node.setBalance(payer, 10n ** 15n);
  node.mint(usdt, payer, 10n ** 15n);
  node.produce(1);
  const deposits = Array.from({ length: ADDRESSES }, () => base58FromHex(`41${randomBytes(20).toString('hex')}`));
  const watched = new Set(deposits);

  // Build the chain fast but honestly: each transaction is signed here (secp256k1 over its
  // txID) and verified by the node on broadcast, without tronweb's slower builder.
  const setupStarted = performance.now();
  const first = node.chain.head.number + 1;
  const owner = toHex41(payer);
  const contract = toHex41(usdt);
  const key = hexToBytes(payerKey);
  for (let b = 0; b < blocks; b++) {
    const head = node.chain.head;
    for (let i = 0; i < perBlock; i++) {
      // Half to deposit addresses, half elsewhere: the reader returns all, matching keeps ours.
      const to = i % 2 === 0 ? toHex41(deposits[(b * perBlock + i) % ADDRESSES] ?? payer) : `41${randomBytes(20).toString('hex')}`;
      const raw_data = {
        contract: [
          {
            parameter: {
              value: {
                data: `a9059cbb${to.slice(2).padStart(64, '0')}${(1_000_000 + i).toString(16).padStart(64, '0')}`,
                owner_address: owner,
                contract_address: contract,
              },
              type_url: 'type.googleapis.com/protocol.TriggerSmartContract',
            },
            type: 'TriggerSmartContract',
          },
        ],
        ref_block_bytes: (head.number & 0xffff).toString(16).padStart(4, '0'),
        ref_block_hash: head.id.slice(16, 32),
        expiration: head.timestamp + 60_000,
        fee_limit: 100_000_000,
        timestamp: head.timestamp,
      };
      const { rawDataHex, txID } = encodeRawData(raw_data);
      const sig = secp256k1.sign(hexToBytes(txID), key, { prehash: false, format: 'recovered' });
      // noble's recovered format puts the recovery bit first; java-tron wants r‖s‖v (v = 27/28).
      const signature = `${bytesToHex(sig.subarray(1))}${((sig[0] ?? 0) + 27).toString(16)}`;
      const outcome = node.chain.broadcast({ txID, raw_data, raw_data_hex: rawDataHex, signature: [signature] });
      if (!outcome.ok) throw new Error(`broadcast refused: ${outcome.code} ${outcome.message}`);
    }
    node.produce(1);
  }
  const last = node.chain.head.number;
  console.log(`setup: ${blocks} blocks × ${perBlock} TRC-20 transfers in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  const reader = new TronChainReader({
    network: 'TRX',
    tronWeb: createTronWeb({ apiUrl: node.url }),
    usdtContract: usdt,
    genesisBlockId: TRON_GENESIS_BLOCK_ID.TRX,
  });
  await reader.verifyNetwork();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let transfers = 0;
  let matched = 0;
  const batch = 10n;
  for (let from = BigInt(first); from <= BigInt(last); from += batch) {
    const to = from + batch - 1n < BigInt(last) ? from + batch - 1n : BigInt(last);
    for (const scan of await reader.scan(from, to)) {
      transfers += scan.transfers.length;
      for (const t of scan.transfers) if (watched.has(t.to)) matched++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  // The node double serves from this same process, so CPU time includes the node's own work too (pessimistic).
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const scanned = last - first + 1;
  const rate = scanned / seconds;
  console.log(`scanned ${scanned} blocks (${transfers} transfers, ${matched} to deposit addresses) in ${seconds.toFixed(2)} s`);
  console.log(`${rate.toFixed(1)} blocks/s = ${(rate * BLOCK_SECONDS).toFixed(0)}× real time by the wall clock (goal ≥ 100×)`);
  console.log(
    `CPU: ${((cpuSeconds / scanned) * 1000).toFixed(1)} ms per block (reader + node double) = ${(BLOCK_SECONDS / (cpuSeconds / scanned)).toFixed(0)}× real time on one core`,
  );
  if (matched !== (blocks * perBlock) / 2) throw new Error(`expected ${(blocks * perBlock) / 2} matches, got ${matched}`);
} finally {
  await node.stop();
}
