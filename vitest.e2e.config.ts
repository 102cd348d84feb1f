import { defineConfig } from "vitest/config";

// End-to-end: Chromium (Debian's, through playwright-core) against `wrangler dev`, which the
// global setup starts on a free port with a throw-away database and stops afterwards.
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One server, one Chromium per file; files run one after another on this 2-core machine.
    fileParallelism: false,
  },
});
