import type { Agent } from './server.js';

export interface IssuedKey {
  readonly keyId: string;
  readonly privateKey: string;
  readonly keyFile: string;
}

/** Generate (or refresh, with confirm) the BP's Secondary KeyPair through the dashboard API. */
export async function issueKeyPair(agent: Agent, bpId: string, confirm = false): Promise<IssuedKey> {
  const response = await agent.post(`/api/bps/${bpId}/keypairs`, { mode: 'generate', confirm });
  if (response.statusCode !== 201) throw new Error(`keypair issue failed: ${response.statusCode} ${response.body}`);
  const body = response.json() as { keypair: { id: string }; privateKey: string; keyFile: string };
  return { keyId: body.keypair.id, privateKey: body.privateKey, keyFile: body.keyFile };
}
