// The local mail catcher: maildev (SMTP plus a web inbox), which `npm start` and the tests start
// so that every mail the Worker sends locally can be read at http://localhost:{webPort}.
import { MailDev } from "maildev";

/**
 * Starts maildev on 127.0.0.1 with its SMTP server on `smtpPort` and its inbox on `webPort`,
 * keeping mail in memory. Resolves once both listen.
 * @param {{ smtpPort: number, webPort: number }} ports
 * @returns {Promise<{ smtpPort: number, webPort: number, url: string, stop: () => Promise<void> }>}
 */
export async function startMailCatcher({ smtpPort, webPort }) {
  const maildev = new MailDev({ smtp: smtpPort, web: webPort, ip: "127.0.0.1", webIp: "127.0.0.1", silent: true });
  // maildev's API server announces itself on the console even when silent; the caller prints the URL.
  const info = console.info;
  console.info = () => {};
  try {
    await maildev.start();
  } finally {
    console.info = info;
  }
  return { smtpPort, webPort, url: `http://127.0.0.1:${webPort}`, stop: () => maildev.stop() };
}
