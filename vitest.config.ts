import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against sources; the published packages resolve to dist.
    alias: {
      '@paygate/protocol': here('./packages/protocol/src/index.ts'),
      '@paygate/sdk': here('./packages/sdk/src/index.ts'),
    },
  },
  test: {
    include: ['apps/server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    globalSetup: [here('./tests/support/global-setup.ts')],
  },
});
