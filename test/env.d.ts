import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** The port of test/fakes/smtp.ts, the SMTP server that fails on purpose (vitest.config.ts). */
      TEST_FAILING_SMTP_PORT: string;
      /** The Worker's VAPID public key (vitest.config.ts), which test/fakes/push checks pushes against. */
      VAPID_PUBLIC_KEY: string;
      WEBHOOK_SECRET_KEY: string;
    }
  }
}
