import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Bound by vitest.config.ts (optional in wrangler.toml). */
      RECORDINGS: R2Bucket;
    }
  }
}
