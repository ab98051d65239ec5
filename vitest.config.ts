import { defineConfig } from 'vitest/config';

// Three layers, each runnable on its own (`vitest run --project unit`):
//   *.unit.test.ts  pure logic, milliseconds
//   *.int.test.ts   real servers started by the test (sandbox, PostgreSQL, Prometheus, git, demo app)
//   *.e2e.test.ts   the bundled actions run as the runner runs them
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    setupFiles: ['test/setup/env.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.unit.test.ts'] } },
      {
        extends: true,
        test: { name: 'int', include: ['test/**/*.int.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 },
      },
    ],
  },
});
