// The fake Stripe API (test/fakes/stripe.ts) over HTTP, for the local demo and the end-to-end
// tests: point the Worker's STRIPE_API_BASE at the printed URL.
//
//   node scripts/fake-stripe.mjs            # listens on PORT (default 12111)
//   FAKE_STRIPE_WEBHOOK_URL=http://127.0.0.1:8787/webhooks/stripe \
//   FAKE_STRIPE_WEBHOOK_SECRET=whsec_… node scripts/fake-stripe.mjs   # also delivers webhooks
//
//   import { startFakeStripe } from "./fake-stripe.mjs";
//   const { url, close, fake } = await startFakeStripe(0);   // 0 = any free port
//   await startFakeStripe(0, { stateFile: ".wrangler/state/fake-stripe.json" })   // remembers across runs
//
// Needs Node 22.18+ (TypeScript type stripping; `npm start` runs node_modules/.bin/node).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { register } from "node:module";
import { fileURLToPath } from "node:url";

// Node strips the types of .ts files but resolves imports literally, and the fake's modules
// import each other without an extension (as vitest and wrangler's bundler allow). This hook
// lets Node try "<specifier>.ts" for relative imports made from .ts files.
if (!globalThis.__parleyTsResolveHook) {
  globalThis.__parleyTsResolveHook = true;
  const hook = `
    import { existsSync } from "node:fs";
    import { fileURLToPath } from "node:url";
    export async function resolve(specifier, context, next) {
      if (/^\\.\\.?\\//.test(specifier) && !/\\.[cm]?[jt]s$/.test(specifier) && context.parentURL?.endsWith(".ts")) {
        const candidate = new URL(specifier + ".ts", context.parentURL);
        if (existsSync(fileURLToPath(candidate))) return next(candidate.href, context);
      }
      return next(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

const { createFakeStripe } = await import("../test/fakes/stripe.ts");
const { dumpStore, loadStore } = await import("../test/fakes/stripe/persistence.ts");

/**
 * @param {number} [port] 0 for any free port
 * `around` sees every API request and answers it, usually through `answer` (the fault suite
 * holds a capture there while it kills the server). `stateFile`: where the fake keeps its memory
 * between runs (read at start, written after each request), as the local demo's D1 does.
 * @param {import("../test/fakes/stripe.ts").FakeStripeOptions & { host?: string, stateFile?: string, around?: (request: Request, answer: (request: Request) => Promise<Response>) => Promise<Response> }} [options]
 */
export async function startFakeStripe(port = 12111, options = {}) {
  const { host = "127.0.0.1", around, stateFile, ...fakeOptions } = options;
  const fake = createFakeStripe(fakeOptions);
  if (stateFile && existsSync(stateFile)) loadStore(fake.store, readFileSync(stateFile, "utf8"));
  // Written whole and renamed into place, so a run killed mid-write leaves the last good file.
  const save = () => {
    if (!stateFile) return;
    writeFileSync(`${stateFile}.tmp`, dumpStore(fake.store));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  const server = createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(`http://${req.headers.host ?? `${host}:${port}`}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? body : undefined,
      });
      const response = around ? await around(request, (r) => fake.fetch(r)) : await fake.fetch(request);
      if (hasBody) save();
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: `fake Stripe server: ${err?.message ?? err}` } }));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === "object" && address ? address.port : port}`;
  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  return { url, close, fake, server };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 12111);
  const webhookUrl = process.env.FAKE_STRIPE_WEBHOOK_URL;
  const webhookSecret = process.env.FAKE_STRIPE_WEBHOOK_SECRET;
  const { url, close } = await startFakeStripe(port, {
    host: process.env.HOST ?? "127.0.0.1",
    publicUrl: process.env.FAKE_STRIPE_PUBLIC_URL,
    webhooks: webhookUrl && webhookSecret ? [{ url: webhookUrl, secret: webhookSecret }] : [],
  });
  console.log(`Fake Stripe listening on ${url}`);
  if (webhookUrl) console.log(`  delivering webhooks to ${webhookUrl}`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => close().then(() => process.exit(0)));
}
