import { defineConfig } from 'vitest/config';

// Every test runs against real parts (SQLite files, HTTP servers on port 0, Chromium),
// so files run in separate processes and get generous timeouts on a 2-core machine.
export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'test/**/*.test.ts', 'electron/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    // Every answer of every server started by a test is checked against that server's API document at the end.
    globalSetup: ['test/support/answer-check.global.ts'],
  },
});
