// `npm run bench:idle [-- --minutes=10]`: counts the Durable Object wake-ups that idle pages cause
// (issue 22: "idle consoles cost nothing"). It serves a copy of the tree under its own
// `wrangler dev` (a free port, throw-away state, in a process group of its own), opens in real
// Chromium an agent's console (ONLINE) and a customer's waiting screen in a room that agent
// serves, waits until the ring is on the console, and then leaves both alone for --minutes.
// The pages run their own timers (heartbeat pings, htmx's socket, the ring's sound) as they would
// for a person who walked away.
//
// Counted: every invocation of the Worker's and of any object's handlers in the window (fetch,
// RPC, alarm, scheduled, and the hibernatable socket's message, close and error), read from
// wrangler dev's local trace collector (X_LOCAL_OBSERVABILITY, on for this run only), which
// records each invocation the runtime makes without anything added to Parley's code. A ping
// answered by the runtime's auto-response never reaches a handler, so it is not an invocation
// and is not counted; the run also reports the pings the pages sent, to show they were sent.
// Options: --minutes=10, --state=/dev/shm (parent of the state directory), --limit (seconds
// before the run gives up; default the window plus 5 minutes), --raw (each invocation, as JSON),
// --shots=DIR (screenshots of the pages if the run fails).
import { execSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { benchStateParent, freePort, root } from "../scripts/dev-server.mjs";
import { switches } from "./options.mjs";

const argv = switches();
const MINUTES = Number(argv.minutes ?? 10);
const STATE_PARENT = argv.state ?? benchStateParent;
const LIMIT_S = Number(argv.limit ?? MINUTES * 60 + 300);
if (!(MINUTES > 0) || !(LIMIT_S > 0)) throw new Error("--minutes and --limit must be numbers > 0");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
process.env.X_LOCAL_OBSERVABILITY = "true";

const T0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(6)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A copy of the tree: wrangler dev reloads the Worker when a source file changes, which would close every socket. */
function snapshot() {
  const dir = mkdtempSync(join(tmpdir(), "parley-idle-src-"));
  const skip = new Set(["node_modules", ".git", ".wrangler", "test-results", "screenshots"]);
  cpSync(root, dir, { recursive: true, filter: (src) => !skip.has(relative(root, src).split(sep)[0]) });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  // The static files `npm start` prepares before it serves (vendored or built scripts), prepared the same way.
  const start = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts.start;
  const prepare = start.split("&&").slice(0, -1).join("&&").trim();
  if (prepare) execSync(prepare, { cwd: dir, stdio: "inherit" });
  return dir;
}

/** Read-only SQL over the collector's spans (Miniflare's local explorer API). */
async function query(base, sql, params = []) {
  const res = await fetch(`${base}/cdn-cgi/local/explorer/api/local/observability/query`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sql, params }),
  });
  const body = await res.json();
  const result = body.result ?? body;
  if (!res.ok || !result.columns) throw new Error(`trace query failed: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]])));
}

/**
 * Every invocation that began in [from, to): the Worker's own (no parent span) and each object's,
 * which the collector nests under the span of whoever called it. The runtime's trigger says which
 * handler ran (fetch, jsrpc, alarm, hibernatableWebSocket); the spans under it (storage reads and
 * writes) help say which object it was.
 */
async function invocationsIn(base, from, to) {
  const rows = await query(
    base,
    `select trace_id, span_id, parent_id, name, start_ms, json(attributes) as attributes from spans
     where start_ms >= ? and start_ms < ? and json_extract(attributes, '$."faas.trigger"') is not null order by start_ms`,
    [from, to],
  );
  const children = await query(
    base,
    `select parent_id, name, json(attributes) as attributes from spans
     where start_ms >= ? and start_ms < ? and json_extract(attributes, '$."faas.trigger"') is null`,
    [from, to + 60_000],
  );
  const under = new Map();
  for (const c of children) under.set(c.parent_id, [...(under.get(c.parent_id) ?? []), { name: c.name, attrs: JSON.parse(c.attributes ?? "{}") }]);
  return rows.map((row) => ({ ...row, attrs: JSON.parse(row.attributes ?? "{}"), children: under.get(row.span_id) ?? [] }));
}

/** Public methods of each object class, read from its source: a jsrpc span names the method called. */
function methodOwners(tree) {
  const owners = new Map();
  for (const [cls, file] of [["RoomDO", "durable-objects/RoomDO.ts"], ["AgentDO", "durable-objects/AgentDO.ts"], ["ConsolesDO", "durable-objects/ConsolesDO.ts"], ["ChatDO", "durable-objects/chat/ChatDO.ts"]]) {
    for (const [, name] of readFileSync(join(tree, file), "utf8").matchAll(/^ {2}(?:async )?(\w+)\(/gm)) owners.set(name, [...new Set([...(owners.get(name) ?? []), cls])]);
  }
  return owners;
}

/** Storage each object class reads first, to tell the object of an alarm or a socket event. */
const STORAGE_SIGNS = [
  ["ChatDO", /create table if not exists messages|^(init|status|deadlines|seen|agent|billing)$/],
  ["AgentDO", /^(identity|statuses|activeChats|consoles|invites|wrapUp:.*)$/],
  ["RoomDO", /^(roomName|agent:.*|agentSince:.*|wait.*|agentSeq|alertsUntil)$/],
];

function describe(inv, owners) {
  const trigger = inv.attrs["faas.trigger"];
  if (!inv.parent_id && trigger === "http") return { target: "Worker", handler: `fetch ${new URL(inv.attrs["url.full"]).pathname.replace(/[0-9a-f-]{36}/, ":id")}` };
  if (!inv.parent_id && trigger === "timer" && inv.attrs["faas.cron"]) return { target: "Worker", handler: `scheduled ${inv.attrs["faas.cron"]}` };
  if (trigger === "jsrpc") {
    const method = inv.attrs["jsrpc.method"];
    return { target: (owners.get(method) ?? ["?"]).join("|"), handler: `rpc ${method}` };
  }
  const handler = trigger === "http" ? `fetch ${new URL(inv.attrs["url.full"]).pathname.replace(/[0-9a-f-]{36}/, ":id")}` : inv.name === "hibernatableWebSocket" ? "webSocket message/close/error" : inv.name;
  const signs = inv.children.flatMap((c) => [c.attrs["db.query.text"], ...String(c.attrs["cloudflare.durable_object.kv.query.keys"] ?? "").split(",")]).filter(Boolean);
  const found = STORAGE_SIGNS.filter(([, re]) => signs.some((s) => re.test(s))).map(([cls]) => cls);
  return { target: found.length ? found.join("|") : "object (no storage read)", handler };
}

let dir = null;
let stateDir = null;
let server = null;
let browser = null;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
};
const watchdog = setTimeout(async () => {
  console.error(`idle-wakeups: stopped after the ${LIMIT_S} s time limit`);
  await cleanup();
  process.exit(2);
}, LIMIT_S * 1000);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().then(() => process.exit(130)));

try {
  dir = snapshot();
  const { startServer } = await import(pathToFileURL(join(dir, "scripts", "dev-server.mjs")).href);
  stateDir = mkdtempSync(join(STATE_PARENT, "parley-idle-"));
  const port = await freePort();
  log(`starting wrangler dev on 127.0.0.1:${port} (X_LOCAL_OBSERVABILITY=true, state in ${stateDir})`);
  // An inspector port of its own: wrangler's default one may be held by another server on the machine.
  server = await startServer({ port, inspectorPort: await freePort(), persistTo: stateDir, quiet: true });
  const base = server.url;

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  // Each page counts the pings its sockets send (static/controllers/heartbeat.js), to show the heartbeat ran.
  const countPings = () => {
    window.__pings = 0;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      if (data === "ping") window.__pings++;
      return send.call(this, data);
    };
  };

  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await agentContext.addInitScript(countPings);
  const agent = await agentContext.newPage();
  await agent.goto(`${base}/login`);
  await agent.getByLabel("Email").fill("alice@demo.test");
  await agent.getByLabel("Password").fill("parley-demo");
  await agent.getByRole("button", { name: "Sign in" }).click();
  await agent.waitForURL(`${base}/agent`);
  const status = agent.locator("#agent-status[data-status]");
  await status.waitFor();
  if ((await status.getAttribute("data-status")) !== "WAITING_NEW_CALL") await agent.getByRole("button", { name: "Go online" }).click();
  await agent.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();
  log("agent console ONLINE (alice@demo.test)");

  const customerContext = await browser.newContext({ viewport: { width: 420, height: 860 } });
  await customerContext.addInitScript(countPings);
  const customer = await customerContext.newPage();
  await customer.goto(`${base}/c/demo/GENERAL`);
  await customer.getByLabel("Your name").fill("Idle Customer");
  await customer.getByLabel("How can we help?").fill("Anyone there?");
  await customer.getByRole("button", { name: "Chat" }).click();
  await customer.waitForURL(/\/chats\/[0-9a-f-]{36}$/);
  await customer.locator("h1", { hasText: "Waiting for an Agent" }).waitFor();
  await agent.locator(".ring-card", { hasText: "Idle Customer" }).waitFor();
  log("customer waiting, ring on the console; nobody answers");

  // Let the pages finish what opening them started (first frames, alarms armed at once).
  await sleep(5_000);
  const from = Date.now();
  const windowMs = MINUTES * 60_000;
  log(`counting invocations for ${MINUTES} min`);
  for (let left = windowMs; left > 0; left -= 60_000) {
    await sleep(Math.min(60_000, left));
    const soFar = await invocationsIn(base, from, Date.now());
    log(`${((Date.now() - from) / 60_000).toFixed(1)} min: ${soFar.length} invocations so far`);
  }
  const to = Date.now();
  // Spans are written when their invocation ends: a moment for the last ones to land.
  await sleep(2_000);
  const rows = await invocationsIn(base, from, to);
  const owners = methodOwners(dir);
  const pings = { agent: await agent.evaluate(() => window.__pings), customer: await customer.evaluate(() => window.__pings) };
  const stillWaiting = await customer.locator("h1", { hasText: "Waiting for an Agent" }).isVisible();
  const stillRinging = await agent.locator(".ring-card", { hasText: "Idle Customer" }).isVisible();

  const counts = new Map();
  for (const row of rows) {
    const { target, handler } = describe(row, owners);
    const key = `${target} | ${handler}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(`\nIdle wake-ups over ${((to - from) / 60_000).toFixed(1)} min (one console ONLINE, one customer waiting, ring unanswered):`);
  if (!counts.size) console.log("  none");
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${key}`);
  console.log(`Pings sent by the pages meanwhile: console ${pings.agent}, customer ${pings.customer} (since they opened)`);
  console.log(`At the end: customer still waiting: ${stillWaiting}; ring still on the console: ${stillRinging}`);
  if (argv.raw) for (const row of rows) console.log(JSON.stringify({ ...describe(row, owners), start: new Date(row.start_ms).toISOString(), attrs: row.attrs, children: row.children.map((c) => c.name) }));
  clearTimeout(watchdog);
  await cleanup();
  process.exit(0);
} catch (err) {
  console.error("idle-wakeups failed:", err);
  if (argv.shots) for (const [i, page] of (browser?.contexts().flatMap((c) => c.pages()) ?? []).entries()) await page.screenshot({ path: `${argv.shots}/idle-${i}.png` }).catch(() => {});
  clearTimeout(watchdog);
  await cleanup();
  process.exit(1);
}
