import { defineConfig } from 'vitest/config';

// Suites that need a real PostgreSQL server (concurrency across connections) are named
// *.postgres.test.ts and run only when DATABASE_URL is set; CI runs the suite once per database.
const postgresOnly = process.env.DATABASE_URL ? [] : ['**/*.postgres.test.ts'];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...postgresOnly],
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: browser journeys on two busy cores can take a while; passing tests are not slowed by it.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: one worker per core; each test file gets its own database copy.
    maxWorkers: 2,
  },
});
