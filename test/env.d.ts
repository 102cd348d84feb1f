import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** The port of test/fakes/smtp.ts, the SMTP server that fails on purpose (vitest.config.ts). */
      TEST_FAILING_SMTP_PORT: string;
      WEBHOOK_SECRET_KEY: string;
    }
  }
}
