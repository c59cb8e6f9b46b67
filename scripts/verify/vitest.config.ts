import { defineConfig } from 'vitest/config';

/** Until the root config lists scripts/verify: `vitest run --config scripts/verify/vitest.config.ts`. */
export default defineConfig({
  test: { include: ['scripts/verify/**/*.test.ts'], environment: 'node', testTimeout: 60_000, root: new URL('../..', import.meta.url).pathname },
});
