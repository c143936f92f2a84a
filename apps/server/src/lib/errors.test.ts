import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from './errors.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('documents every code under a heading of its status', () => {
    const sections = docs.split(/^## /m).slice(1);
    for (const [code, { status }] of Object.entries(ERROR_CATALOGUE)) {
      const section = sections.find((s) => s.includes(`### \`${code}\``));
      expect(section, `${code} is documented in docs/errors.md`).toBeDefined();
      expect(section?.startsWith(String(status)), `${code} is under "## ${status}"`).toBe(true);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...docs.matchAll(/^### `([a-z_]+)`$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });
});
