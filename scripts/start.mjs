// `npm start`: the local demo on http://localhost:8787 (PORT overrides).
import { startServer } from "./dev-server.mjs";

const port = Number(process.env.PORT ?? 8787);
const { url, stop, seed, stripe, webhooks, mail } = await startServer({ port });
const base = url.replace("127.0.0.1", "localhost");
console.log(`
  Parley is running (demo ${seed}).

  Sign in ............ ${base}/login
  Admin .............. ${base}/admin
  Agent console ...... ${base}/agent
  Customer page ...... ${base}/c/demo/GENERAL
  Paid rooms ......... ${base}/c/demo/PREAUTHORISED_CARD_AUTO_CHARGE_END
                       ${base}/c/demo/CHARGE_DURATION_ON_DEMAND

  Payments ........... ${stripe} (test mode: pick a test card)
  Stripe webhooks .... ${webhooks ? `${webhooks} (signed, from the fake Stripe)` : `forward them with the Stripe CLI: stripe listen --forward-to ${base}/webhooks/stripe`}
  Mail ............... ${mail ? `${mail.replace("127.0.0.1", "localhost")} (every mail sent locally)` : "your own SMTP relay (.dev.vars)"}

  Demo logins (local only), password "parley-demo":
    admin@demo.test   administrator
    alice@demo.test   agent
    bob@demo.test     agent

  Press Ctrl+C to stop.
`);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop().then(() => process.exit(0)));
