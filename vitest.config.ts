import { defineConfig } from 'vitest/config';

/**
 * Three projects, one runner (PS: the STYLE guide asks for Vitest only):
 * - unit: plain Node, no servers, fast;
 * - integration: real Orthanc / DCMTK / dicom3tools started by test/services;
 * - e2e: Playwright driving Debian Chromium against main/serve.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
