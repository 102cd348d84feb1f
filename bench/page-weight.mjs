// `npm run bench:weight [-- --files]`: what each audience's pages download in scripts and styles
// before a person can use them. It starts its own `wrangler dev` (scripts/dev-server.mjs) with the
// demo seeded, and loads in Debian's Chromium, each with an empty cache: the customer's contact form
// (/c/demo/GENERAL), the waiting screen after posting it (/chats/{id}), the agent console (/agent)
// and an admin page (/admin). A page counts as usable once it has loaded and the network has been
// quiet for 500 ms; every JS and CSS response until then counts, with its size gzipped at level 9
// (wrangler dev sends bodies uncompressed; the budgets are in gzip). Files the page prefetches at
// idle priority for later (the customer's chat page: the connected chat's stylesheet) are counted
// apart, as "prefetched". `--files` lists each file. Service workers are blocked so that only the
// page's own requests count.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { benchStateParent, freePort, startServer } from "../scripts/dev-server.mjs";

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update"];

/** Budgets (BENCHMARKS.md, "Page weight"): gzip bytes and requests before the page is usable. */
const BUDGETS = { customer: { bytes: 35 * 1024, requests: 4 }, staff: { bytes: 60 * 1024, requests: 4 } };

const persistTo = mkdtempSync(join(benchStateParent, "parley-bench-weight-"));
const server = await startServer({ port: await freePort(), persistTo, quiet: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: FLAGS }).catch(async (err) => {
  await server.stop();
  throw err;
});

/** Collects the page's JS and CSS responses; `take()` returns those since `forget()`. */
function watch(page) {
  let seen = [];
  page.on("response", (response) => {
    const type = response.request().resourceType();
    if (type === "script" || type === "stylesheet" || /\.(css|js)$/.test(new URL(response.url()).pathname)) seen.push(response);
  });
  const forget = () => (seen = []);
  const take = async () => {
    const taken = seen;
    forget();
    const rows = [];
    for (const response of taken) {
      const type = response.request().resourceType();
      const later = type !== "script" && type !== "stylesheet";
      // Chromium keeps no body of a prefetch for the page: the same file, asked for again.
      const body = later ? Buffer.from(await (await fetch(response.url())).arrayBuffer()) : await response.body();
      rows.push({ path: new URL(response.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, later });
    }
    return rows;
  };
  return { take, forget };
}

/** A fresh context per audience, its cache emptied before each measured page. */
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { page, ...watch(page), emptyCache: () => cdp.send("Network.clearBrowserCache") };
}

async function signedIn(email) {
  const tab = await newPage();
  await tab.page.goto(`${server.url}/login`);
  await tab.page.getByLabel("Email").fill(email);
  await tab.page.getByLabel("Password").fill("parley-demo");
  await tab.page.getByRole("button", { name: "Sign in" }).click();
  await tab.page.waitForURL((url) => url.pathname !== "/login");
  return tab;
}

async function measure(tab, open) {
  await tab.emptyCache();
  tab.forget();
  await open();
  await tab.page.waitForLoadState("networkidle");
  return tab.take();
}

const results = [];
try {
  const customer = await newPage();
  results.push({
    audience: "customer",
    page: "contact form",
    rows: await measure(customer, () => customer.page.goto(`${server.url}/c/demo/GENERAL`)),
  });
  await customer.page.getByLabel("Your name").fill("Page Weight");
  results.push({
    audience: "customer",
    page: "waiting screen",
    rows: await measure(customer, async () => {
      await customer.page.getByRole("button", { name: "Chat", exact: true }).click();
      await customer.page.waitForURL(/\/chats\/[0-9a-f-]{36}$/);
    }),
  });
  const agent = await signedIn("bob@demo.test");
  results.push({ audience: "staff", page: "agent console", rows: await measure(agent, () => agent.page.goto(`${server.url}/agent`)) });
  const admin = await signedIn("admin@demo.test");
  results.push({ audience: "staff", page: "admin rooms", rows: await measure(admin, () => admin.page.goto(`${server.url}/admin`)) });
} finally {
  await browser.close();
  await server.stop();
  rmSync(persistTo, { recursive: true, force: true });
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log("\nJS and CSS before the page is usable (empty cache, gzip level 9):\n");
console.log("| Page | Requests | Raw KB | Gzip KB | Budget | Prefetched for later (gzip KB) |");
console.log("|---|---:|---:|---:|---|---|");
for (const { audience, page, rows: all } of results) {
  const rows = all.filter((r) => !r.later);
  const later = all.filter((r) => r.later);
  const raw = rows.reduce((s, r) => s + r.raw, 0);
  const gzip = rows.reduce((s, r) => s + r.gzip, 0);
  const budget = BUDGETS[audience];
  const within = gzip <= budget.bytes && rows.length <= budget.requests ? "met" : "over";
  const prefetched = later.length ? `${later.length}: ${kb(later.reduce((s, r) => s + r.gzip, 0))}` : "–";
  console.log(`| ${page} | ${rows.length} | ${kb(raw)} | ${kb(gzip)} | ≤ ${kb(budget.bytes)} KB in ≤ ${budget.requests}: ${within} | ${prefetched} |`);
}
if (process.argv.includes("--files")) {
  for (const { page, rows } of results) {
    console.log(`\n${page}:`);
    for (const r of rows) console.log(`  ${kb(r.gzip).padStart(6)} KB gzip  ${kb(r.raw).padStart(6)} KB raw  ${r.path}${r.later ? "  (prefetched for later)" : ""}`);
  }
}
