import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Bound by vitest.config.ts (optional in wrangler.toml). */
      RECORDINGS: R2Bucket;
      /** The port of test/fakes/smtp.ts, the SMTP server that fails on purpose (vitest.config.ts). */
      TEST_FAILING_SMTP_PORT: string;
    }
  }
}
