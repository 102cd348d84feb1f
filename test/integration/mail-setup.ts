// @ts-expect-error plain ESM script shared with `npm start`, no type declarations
import { startMailCatcher } from "../../scripts/mail-catcher.mjs";
import { startFakeSmtp } from "../fakes/smtp";

// Runs in Node before the integration tests: maildev, the catcher the Worker sends to, and the fake
// SMTP server that fails on purpose, on the ports vitest.config.ts chose and bound for the Worker.
export default async function setup() {
  const ports = JSON.parse(process.env.PARLEY_TEST_MAIL_PORTS!) as { smtp: number; web: number; failing: number };
  const catcher = await startMailCatcher({ smtpPort: ports.smtp, webPort: ports.web });
  const failing = await startFakeSmtp(ports.failing);
  return async () => {
    await failing.close();
    await catcher.stop();
  };
}
