import { defineConfig } from "vitest/config";

// The fault suite: the real local server (wrangler dev) killed with SIGKILL at each step of a
// paid chat and started again on the same state (test/faults/server.ts). Slow by nature (real
// timeouts of 30 and 90 seconds), so it has its own config and runs after the other suites.
export default defineConfig({
  test: {
    name: "faults",
    include: ["test/faults/**/*.fault.ts"],
    environment: "node",
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
