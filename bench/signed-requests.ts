/**
 * Signed-request throughput, from one run on one machine:
 *   1. raw Ed25519 verification rate (node:crypto, one core),
 *   2. an unauthenticated route over HTTP (GET /v1/meta/callback-ips),
 *   3. a signed route over HTTP (GET /v1/me: parse + verify + key cache + IP check + nonce INSERT),
 * and the ratio signed / min(raw verify, unauthenticated). The server is one `paygate --role api`
 * process on PostgreSQL; requests are signed before the timed window so the client's signing cost
 * does not count against the server.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/signed-requests.ts
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { signRequest } from '@paygate/protocol';
import { createPostgresDatabase } from '../tests/support/databases.js';
import { HttpAgent } from '../tests/support/http-agent.js';
import { freePort, PaygateProcess } from '../tests/support/process.js';
import { fmt, load, percentile } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

function rawVerifyRate(seconds: number): number {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const base = Buffer.from(
    '"@method": GET\n"@path": /v1/me\n"@query": ?\n"@signature-params": ("@method" "@path" "@query");created=1767225600;keyid="kp_01kdw3hh8gzq2t1j5a8v6m4c0b";alg="ed25519";nonce="bWF6ZS1ub25jZS0wMDAx"',
  );
  const signature = sign(null, base, privateKey);
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) if (verify(null, base, publicKey, signature)) n++;
  }
  return n / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const database = await createPostgresDatabase(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const server = new PaygateProcess(
    await freePort(),
    {
      DATABASE_URL: database.url,
      PAYGATE_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
      PAYGATE_ROLE: 'api',
      LOG_LEVEL: 'warn',
      PAYGATE_CALLBACK_SOURCE_IPS: '127.0.0.2',
    },
    ['start'],
    process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter((a) => a.length > 0) ?? [],
  );
  try {
    await server.ready();
    const agent = new HttpAgent(server.url);
    const session = await agent.call('POST', '/api/auth/signup', {
      email: 'bench@example.com',
      password: 'correct horse battery',
      name: 'Bench',
      businessName: 'Bench Ltd',
    });
    const issued = await agent.call('POST', `/api/bps/${String(session.activeBpId)}/keypairs`, { mode: 'generate' });
    const keyId = (issued.keypair as { id: string }).id;
    const privateKey = String(issued.privateKey);

    const verifyRate = rawVerifyRate(SECONDS);
    // Warm up both routes (JIT, connection pools, credential cache).
    await load(server.url, 1, CONCURRENCY, () => ({ path: '/v1/meta/callback-ips' }));
    const presign = (count: number) => Array.from({ length: count }, () => signRequest({ method: 'GET', url: '/v1/me' }, { keyId, privateKey }));
    const warm = presign(3000);
    await load(server.url, 1, CONCURRENCY, (i) => ({ path: '/v1/me', headers: warm[i % warm.length] ?? {} }));

    const results: { unauth: number; signed: number; signedP50: number; signedP99: number; errors: number }[] = [];
    for (let round = 0; round < 2; round++) {
      const unauth = await load(server.url, SECONDS, CONCURRENCY, () => ({ path: '/v1/meta/callback-ips' }));
      const signedHeaders = presign(Math.ceil(Math.max(unauth.rate, 2000) * SECONDS * 1.2));
      let overflow = false;
      const signed = await load(server.url, SECONDS, CONCURRENCY, (i) => {
        const headers = signedHeaders[i];
        if (headers === undefined) overflow = true;
        return { path: '/v1/me', headers: headers ?? {} };
      });
      if (overflow) throw new Error('ran out of pre-signed requests; raise the pre-sign factor');
      results.push({
        unauth: unauth.rate,
        signed: signed.rate,
        signedP50: percentile(signed.latenciesMs, 50),
        signedP99: percentile(signed.latenciesMs, 99),
        errors: signed.errors + unauth.errors,
      });
    }
    const best = (pick: (r: (typeof results)[number]) => number) => Math.max(...results.map(pick));
    const unauthRate = best((r) => r.unauth);
    const signedRate = best((r) => r.signed);
    const denominator = Math.min(verifyRate, unauthRate);
    const last = results.at(-1);
    process.stdout.write(
      [
        `bench/signed-requests  (one paygate api process on PostgreSQL, ${CONCURRENCY} connections, ${SECONDS}s windows, best of ${results.length})`,
        `  raw Ed25519 verify (1 core)        ${fmt(verifyRate)} /s`,
        `  unauthenticated route (HTTP)       ${fmt(unauthRate)} req/s`,
        `  signed route (HTTP, full checks)   ${fmt(signedRate)} req/s   p50 ${fmt(last?.signedP50 ?? 0, 2)} ms  p99 ${fmt(last?.signedP99 ?? 0, 2)} ms`,
        `  errors                             ${results.reduce((a, r) => a + r.errors, 0)}`,
        `  ratio signed / min(verify, unauth) ${fmt(signedRate / denominator, 2)}   (goal >= 0.75)`,
        '',
      ].join('\n'),
    );
  } finally {
    await server.stop();
    await database.drop();
  }
}

await main();
