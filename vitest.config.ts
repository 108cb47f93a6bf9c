import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One migrated database made once, copied by every test database (test/support/database.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // Database tests create their own databases; a generous timeout covers PGlite start-up.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    // Test files share their worker's loaded modules (no module keeps state between apps), which saves re-importing the app per file.
    isolate: false,
    maxWorkers: 2,
  },
});
