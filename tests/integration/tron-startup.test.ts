import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PaygateProcess } from '../support/process.js';
import { SHASTA_GENESIS_ID, TronNode } from '../support/tron-node/index.js';

// The real start-up path: a worker refuses a Tron node that serves another network.
describe('Tron start-up network check (paygate process)', () => {
  let mainnet: TronNode;
  let shasta: TronNode;
  beforeAll(async () => {
    mainnet = await TronNode.start();
    shasta = await TronNode.start({ genesisId: SHASTA_GENESIS_ID });
  });
  afterAll(async () => {
    await mainnet.stop();
    await shasta.stop();
  });

  const env = (url: string, dataDir: string): Record<string, string> => ({
    PAYGATE_ROLE: 'worker',
    DATA_DIR: dataDir,
    PAYGATE_TRON_API_URL: url,
    PAYGATE_SANDBOX_AUTO_CONFIRM_SECONDS: '0',
  });

  it('refuses to start when the TRX node serves the Shasta chain', async () => {
    const paygate = new PaygateProcess(await freePort(), env(shasta.url, mkdtempSync(join(tmpdir(), 'paygate-tron-'))));
    expect(await paygate.exited).toBe(1);
    expect(paygate.output).toContain(`serves chain genesis ${SHASTA_GENESIS_ID}`);
    expect(paygate.output).toContain('NetworkMismatchError');
  }, 120_000);

  it('starts against a node with the mainnet genesis and says so', async () => {
    const paygate = new PaygateProcess(await freePort(), env(mainnet.url, mkdtempSync(join(tmpdir(), 'paygate-tron-'))));
    try {
      await paygate.ready();
      expect(paygate.output).toContain('Tron node serves the configured network');
      expect(mainnet.requests).toContain('wallet/getblockbynum');
    } finally {
      await paygate.stop();
    }
    // A real process migrating an embedded database: slow on a loaded machine.
  }, 120_000);
});
