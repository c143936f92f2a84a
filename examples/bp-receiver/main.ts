/**
 * Run the example receiver:
 *
 *   PAYGATE_API_SECRET=whsec_… PAYGATE_KEY_FILE=./paygate-kp_….json PORT=8080 npx tsx examples/bp-receiver/main.ts
 *
 * Then set your callback URLs to http://<this host>:8080/ on the dashboard (https in production).
 */
import { Paygate } from '@paygate/sdk';
import { createReceiver } from './receiver.js';

const secret = process.env.PAYGATE_API_SECRET;
if (secret === undefined || secret === '') {
  process.stderr.write('Set PAYGATE_API_SECRET (dashboard → Developers → API Secret → Reveal).\n');
  process.exit(64);
}
const keyFile = process.env.PAYGATE_KEY_FILE;
const { server } = createReceiver({
  secret,
  ...(keyFile !== undefined && keyFile !== '' ? { paygate: Paygate.fromKeyFile(keyFile) } : {}),
  log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
});
const port = Number(process.env.PORT ?? 8080);
server.listen(port, () => process.stdout.write(`BP receiver listening on :${port}${keyFile ? ' (confirming deposits with Paygate)' : ''}\n`));
