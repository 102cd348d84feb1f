// Runs the Worker under `wrangler dev` (workerd + Miniflare) with a local D1 database: applies the
// migrations, starts the server, waits until it answers and seeds the demo. Used by `npm start`
// and by the end-to-end tests, which give it a free port and a throw-away state directory.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeStripe } from "./fake-stripe.mjs";
import { startMailCatcher } from "./mail-catcher.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");

/**
 * Where the benchmarks put a throw-away state directory: memory (/dev/shm) where there is one.
 * Locally every object and the D1 simulator share workerd's one thread, and each SQLite commit
 * fsyncs a file while that thread waits; on this machine's disk that alone put the ring p50 at
 * ~1 s. A deployed object's storage does not hold up other objects' work, so the disk's waits
 * would measure the simulator rather than Parley. `--state=/tmp` measures on disk.
 */
export const benchStateParent = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** True when the environment or .dev.vars sets `name` (a Stripe key, an SMTP relay of your own). */
function hasOwn(name) {
  if (process.env[name]) return true;
  const devVars = join(root, ".dev.vars");
  return existsSync(devVars) && new RegExp(`^${name}=\\S+`, "m").test(readFileSync(devVars, "utf8"));
}

/**
 * A VAPID key pair for Web Push (worker/adapters/web-push.ts), base64url: the public point as
 * browsers take it (uncompressed) and the private scalar `d`. Kept in `file` when given,
 * since browsers' subscriptions are bound to the key they were made with.
 * @param {string | undefined} file
 */
export async function localVapidKeys(file) {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const publicKey = Buffer.from(await crypto.subtle.exportKey("raw", pair.publicKey)).toString("base64url");
  const keys = {
    VAPID_PUBLIC_KEY: publicKey,
    VAPID_PRIVATE_KEY: (await crypto.subtle.exportKey("jwk", pair.privateKey)).d,
    VAPID_SUBJECT: "mailto:push@parley.localhost",
  };
  if (file) writeFileSync(file, JSON.stringify(keys));
  return keys;
}

/**
 * The key that seals webhook endpoints' secrets locally: kept beside the demo's local D1, so that
 * endpoints added in one run still sign in the next; a fresh one for throw-away state.
 */
function localWebhookKey(persistTo) {
  if (persistTo) return randomBytes(32).toString("base64");
  const file = join(root, ".wrangler", "state", "webhook-secret-key");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"));
  }
  return readFileSync(file, "utf8").trim();
}

function applyMigrations(persistTo, quiet) {
  const args = ["d1", "migrations", "apply", "DB", "--local", ...(persistTo ? ["--persist-to", persistTo] : [])];
  const run = spawnSync(wrangler, args, { cwd: root, env: { ...process.env, CI: "true" }, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`D1 migrations failed:\n${run.stdout}\n${run.stderr}`);
  if (!quiet) process.stdout.write(run.stdout.split("\n").filter((l) => /✅|No migrations|Migrations to be applied/.test(l)).join("\n") + "\n");
}

async function waitUntilUp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${timeoutMs / 1000}s`);
}

/**
 * Starts `wrangler dev` on 127.0.0.1:`port` for the Worker of `config` (default: Parley's
 * wrangler.toml) and waits until `readyPath` answers 200. It runs in a process group of its own
 * (wrangler, its esbuild and workerd), which `stop` and `crash` end as a whole: killing wrangler
 * alone would leave workerd serving.
 * `testScheduled` lets the caller run a cron trigger by hand (GET /__scheduled?cron=…).
 * @param {{ port: number, inspectorPort?: number, persistTo?: string, quiet?: boolean, vars?: Record<string,string>, config?: string, readyPath?: string, testScheduled?: boolean }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void>, crash: () => Promise<void> }>}
 */
export async function startWrangler({ port, inspectorPort, persistTo, quiet = false, vars = {}, config, readyPath = "/login", testScheduled = false }) {
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["dev", "--port", String(port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false", ...varArgs];
  if (config) args.push("--config", config);
  if (inspectorPort) args.push("--inspector-port", String(inspectorPort));
  if (persistTo) args.push("--persist-to", persistTo);
  if (quiet) args.push("--log-level", "error");
  if (testScheduled) args.push("--test-scheduled");
  const child = spawn(wrangler, args, { cwd: root, stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit", env: process.env, detached: true });
  const group = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone
    }
  };
  // Whatever way this process ends, the server's group ends with it.
  const orphaned = () => group("SIGKILL");
  process.once("exit", orphaned);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      group("SIGTERM");
      const timer = setTimeout(() => group("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    // wrangler's children may outlive it a moment; none may keep the port or the state.
    group("SIGKILL");
    process.off("exit", orphaned);
  };
  /** The whole server dies at once, as in a power cut: no close frame, no cleanup. */
  const crash = async () => {
    group("SIGKILL");
    await exited;
    process.off("exit", orphaned);
  };
  try {
    await waitUntilUp(`${url}${readyPath}`, child, 90_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop, crash };
}

/**
 * Parley's local server: migrations applied, a fake Stripe unless .dev.vars has a key, maildev
 * unless .dev.vars names an SMTP relay (the Worker sends to it), the demo seeded.
 * The fake Stripe sends its webhooks to the Worker, signed with a secret made for this run, so the
 * local server takes Stripe's word the way production does (POST /webhooks/stripe).
 * `crash` kills the Worker's processes at once and `restart` starts them again on the same state
 * (the fake Stripe, in this process, lives on, and redelivers what the dead server missed, as
 * Stripe retries): the fault suite's power cut.
 * @param {{ port: number, inspectorPort?: number, persistTo?: string, quiet?: boolean, vars?: Record<string,string>, stripeAround?: Parameters<typeof startFakeStripe>[1]["around"], testScheduled?: boolean }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void>, crash: () => Promise<void>, restart: () => Promise<void>, seed: string, stripe: string, webhooks: string | null, mail: string | null }>}
 */
export async function startServer({ port, inspectorPort, persistTo, quiet = false, vars = {}, stripeAround, testScheduled = false }) {
  applyMigrations(persistTo, quiet);
  // The port is chosen before wrangler starts, so the endpoint is known before the first event.
  const webhook = { url: `http://127.0.0.1:${port}/webhooks/stripe`, secret: `whsec_local_${randomBytes(18).toString("hex")}` };
  // Without a Stripe key of your own (.dev.vars), payments go to the local fake Stripe. On the
  // demo's own state (npm start) it remembers, beside the local D1, what it held in earlier runs,
  // so that the ledger and its Stripe still agree after a restart; tests and benchmarks, on
  // throw-away state, start with an empty one.
  const stateFile = persistTo ? undefined : join(root, ".wrangler", "state", "fake-stripe.json");
  if (stateFile) mkdirSync(dirname(stateFile), { recursive: true });
  const fakeStripe = hasOwn("STRIPE_SECRET_KEY") ? null : await startFakeStripe(0, { around: stripeAround, webhooks: [webhook], stateFile });
  // The fake also serves a stand-in of Stripe.js, so the Payment Element works offline.
  const stripeVars = fakeStripe
    ? {
        STRIPE_SECRET_KEY: "sk_test_parley_local_fake",
        STRIPE_PUBLISHABLE_KEY: "pk_test_parley_local_fake",
        STRIPE_API_BASE: fakeStripe.url,
        STRIPE_JS_URL: `${fakeStripe.url}/v3/`,
        STRIPE_WEBHOOK_SECRET: webhook.secret,
      }
    : {};
  // Without an SMTP relay of your own (.dev.vars), mail goes to maildev: `npm start` on its usual
  // ports (MAILDEV_WEB_PORT, MAILDEV_SMTP_PORT override them), tests and benchmarks on free ones.
  const mail = hasOwn("SMTP_HOST")
    ? null
    : await startMailCatcher(
        persistTo
          ? { smtpPort: await freePort(), webPort: await freePort() }
          : { smtpPort: Number(process.env.MAILDEV_SMTP_PORT ?? 1025), webPort: Number(process.env.MAILDEV_WEB_PORT ?? 1080) },
      ).catch((err) => {
        fakeStripe?.close();
        throw err;
      });
  // Without VAPID keys of your own (.dev.vars), Web Push signs with local ones: `npm start` keeps
  // them beside its state, so devices subscribed in an earlier run still ring.
  const vapidVars = hasOwn("VAPID_PRIVATE_KEY") ? {} : await localVapidKeys(stateFile && join(dirname(stateFile), "vapid.json"));
  const mailVars = mail ? { SMTP_HOST: "127.0.0.1", SMTP_PORT: String(mail.smtpPort), SMTP_SECURE: "none", MAIL_FROM: "mail@parley.localhost" } : {};
  const webhookVars = hasOwn("WEBHOOK_SECRET_KEY") ? {} : { WEBHOOK_SECRET_KEY: localWebhookKey(persistTo) };
  const options = { port, inspectorPort, persistTo, quiet, testScheduled, vars: { ENVIRONMENT: "local", ...stripeVars, ...mailVars, ...vapidVars, ...webhookVars, ...vars } };
  let wrangler;
  try {
    wrangler = await startWrangler(options);
  } catch (err) {
    fakeStripe?.close();
    await mail?.stop();
    throw err;
  }
  const stop = async () => {
    fakeStripe?.close();
    await wrangler.stop();
    await mail?.stop();
  };
  const crash = () => wrangler.crash();
  const restart = async () => {
    wrangler = await startWrangler(options);
    await fakeStripe?.fake.deliverTo(webhook.url, { secret: webhook.secret });
  };
  try {
    const res = await fetch(`${wrangler.url}/dev/seed`, { method: "POST" });
    if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    const { result } = await res.json();
    return {
      url: wrangler.url,
      stop,
      crash,
      restart,
      seed: result,
      stripe: fakeStripe?.url ?? "your own Stripe account (.dev.vars)",
      webhooks: fakeStripe ? webhook.url : null,
      mail: mail?.url ?? null,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
