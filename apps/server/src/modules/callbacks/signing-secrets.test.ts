import { describe, expect, it } from 'vitest';
import { SigningSecrets } from './signing-secrets.js';

/** An in-memory stand-in for the secrets table's query, counting the queries made. */
class Source {
  readonly secrets = new Map<string, string[]>([
    ['bp_a', ['a1']],
    ['bp_b', ['b1']],
  ]);
  readonly queries: string[][] = [];
  failing = false;
  async activeSecretsOf(bpIds: readonly string[]): Promise<Map<string, string[]>> {
    this.queries.push([...bpIds]);
    if (this.failing) throw new Error('connection terminated');
    return new Map(bpIds.flatMap((id) => (this.secrets.has(id) ? [[id, [...(this.secrets.get(id) ?? [])]] as const] : [])));
  }
}

describe('SigningSecrets', () => {
  it('reads a claim’s BPs in one query and serves them from memory while fresh', async () => {
    const source = new Source();
    let now = 0;
    const secrets = new SigningSecrets(source, 1_000, () => now);
    await secrets.load(['bp_a', 'bp_b', 'bp_a']);
    expect(source.queries).toEqual([['bp_a', 'bp_b']]);
    expect(await secrets.get('bp_a')).toEqual(['a1']);
    now = 999;
    await secrets.load(['bp_b']);
    expect(await secrets.get('bp_b')).toEqual(['b1']);
    expect(source.queries).toHaveLength(1);
  });

  it('re-reads a stale BP at signing time, so a rotation applies to callbacks that waited', async () => {
    const source = new Source();
    let now = 0;
    const secrets = new SigningSecrets(source, 1_000, () => now);
    await secrets.load(['bp_a']);
    source.secrets.set('bp_a', ['a2']);
    now = 1_001;
    expect(await secrets.get('bp_a')).toEqual(['a2']);
    expect(source.queries).toEqual([['bp_a'], ['bp_a']]);
  });

  it('gives [] for a BP without readable secrets, and propagates a failed query without caching it', async () => {
    const source = new Source();
    const secrets = new SigningSecrets(source, 1_000, () => 0);
    await secrets.load(['bp_none']);
    expect(await secrets.get('bp_none')).toEqual([]);
    source.failing = true;
    await expect(secrets.load(['bp_a'])).rejects.toThrow(/connection terminated/);
    source.failing = false;
    expect(await secrets.get('bp_a')).toEqual(['a1']);
  });
});
