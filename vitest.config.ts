import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // end-to-end tests walk several pages in a browser, on two cores shared with the other test files
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // database suites create their own databases; files run in parallel workers
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
