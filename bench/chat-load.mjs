// `npm run bench`: the live-chat load generator of issue 3. It starts its own `wrangler dev`
// (scripts/dev-server.mjs, a free port, a throw-away state directory), seeds company `bench`
// through POST /dev/seed-bench, and measures over real WebSockets on loopback:
//
//   A. ring and answer: N agent consoles ONLINE in GENERAL, M customers posting the contact form,
//      spread evenly over a window. Contact-form POST sent → first ring frame on any console;
//      answer sent → the customer's socket shows the agent's greeting (connected), and → the
//      winning console is told to open the chat.
//   B. relay: P chats answered with both sockets open (each customer comes through one agent's
//      private room), each side sending a text every 1/R seconds; send → the other party's frame.
//   B'. the same chats re-attached straight to the inner workerd (no wrangler dev proxy), as a
//      diagnostic of where the time goes (--direct=0 skips it and part D's direct run).
//   C. the floor: the same P pairs and rate through a bare Node WebSocket relay (bench/floor-relay.mjs).
//   D. the platform floor: the same through a bare relay Durable Object under its own wrangler dev
//      (bench/platform-relay), via the public port and (--direct) straight to its workerd, which
//      tells the platform's share of part B's time from Parley's own.
//
// Part A and part B each get a fresh server (own state directory), so a backlog left by one
// cannot spill into the other. Every count and wait is bounded; --limit (s) stops the whole run.
// It prints a summary and rewrites the results section of BENCHMARKS.md. Options, as
// `npm run bench -- --pairs=100` or environment variables BENCH_PAIRS=100:
//   --agents=100 --customers=200 --arrival=10 (seconds) --answer=300-1500 (ms, agent reaction)
//   --hold=1000 (ms a part-A chat lasts) --pairs=500 --rate=0.5 (texts/s per side)
//   --relay=20 (measured seconds per relay run) --direct=1 (run B' and D's direct run) --report=BENCHMARKS.md ("-": none)
//   --parts=a,b,c,d (a subset skips parts; the report needs all four)
//   --snapshot=1 (serve a copy of the tree taken at the start: wrangler dev rebuilds and reloads
//   the Worker whenever a source file changes, which would cut every socket mid-run; 0 = live tree)
//   --state=/dev/shm (parent of the throw-away state directory: memory where there is /dev/shm;
//   --state=/tmp puts D1 and the objects' SQLite files on disk)
//   --limit=540 (seconds before the run gives up and cleans up)
//   --fanout=0 (part A, before the customers: that many made-up chats rung on every console and
//   withdrawn, one at a time (POST /dev/ring-fanout); reports the Worker's CPU per such chat)
// wrangler's own switches pass through the environment. X_LOCAL_OBSERVABILITY (wrangler dev's
// local trace collector, which runs in the Worker's own workerd thread and costs more CPU than
// the relay it watches; production has no such thing) is off unless set: X_LOCAL_OBSERVABILITY=true
// measures with it.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir, totalmem } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { benchStateParent, freePort, root } from "../scripts/dev-server.mjs";
import { CLK_TCK, cmdline, descendants, procStat } from "./processes.mjs";
import { switches } from "./options.mjs";

let WebSocket;
try {
  // `ws` is not a dependency of Parley; wrangler's own dependencies bring it into node_modules.
  ({ WebSocket } = await import("ws"));
} catch {
  console.error("bench: the `ws` package is not in node_modules (it normally comes with wrangler); run npm install first.");
  process.exit(1);
}

// ---------------------------------------------------------------- options

const argv = switches();
const opt = (name, fallback) => argv[name] ?? process.env[`BENCH_${name.toUpperCase()}`] ?? fallback;
const num = (name, fallback) => {
  const v = Number(opt(name, fallback));
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return v;
};
const [answerMin, answerMax] = String(opt("answer", "300-1500")).split("-").map(Number);
const CFG = {
  agents: num("agents", 100),
  customers: num("customers", 200),
  arrivalS: num("arrival", 10),
  answerMin,
  answerMax: answerMax ?? answerMin,
  holdMs: num("hold", 1000),
  pairs: num("pairs", 500),
  rate: num("rate", 0.5),
  relayS: num("relay", 20),
  warmupS: 3,
  drainS: 15,
  direct: opt("direct", "1") !== "0",
  report: opt("report", "BENCHMARKS.md"),
  limitS: num("limit", 540),
  /** Where the throw-away wrangler state (D1 and Durable Object SQLite files) goes; see benchStateParent. */
  stateParent: opt("state", benchStateParent),
  /** Which parts to run: a (ring), b (relay through Parley), c (the floor), d (the platform floor). */
  parts: new Set(String(opt("parts", "a,b,c,d")).split(",")),
  /** Serve a copy of the tree taken at the start, so edits made meanwhile do not reload the Worker. */
  snapshot: opt("snapshot", "1") !== "0",
  fanout: num("fanout", 0),
};
// Issue 22: the relay is held to the platform's own floor (the bare relay object through the same
// public port), which no Worker can beat; the Node floor stays as a reference.
const TARGET = { ringP99Ms: 50, relayRatio: 1.25 };
process.env.X_LOCAL_OBSERVABILITY ??= "false";

// ---------------------------------------------------------------- small helpers

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[${((now() - T0) / 1000).toFixed(1).padStart(6)}s]`, ...a);
const T0 = now();

function summarize(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);
  return { n: s.length, p50: at(50), p90: at(90), p99: at(99), max: s.length ? s[s.length - 1] : NaN, mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN };
}
const ms = (v) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : "—");

async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

const ipOf = (block, i) => `10.${block}.${(i >> 8) & 255}.${i & 255}`;
const cookiesOf = (res) => Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0].split("=")));
const form = (fields) => new URLSearchParams(fields).toString();

/** A WebSocket whose frames go to `sock.onFrame(text, receivedAt)`; resolves once open. */
function openSocket(url, cookie) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {}, perMessageDeflate: false, handshakeTimeout: 30_000 });
    ws.onFrame = null;
    ws.frames = [];
    ws.on("message", (data) => {
      const t = now();
      const text = data.toString();
      if (ws.onFrame) ws.onFrame(text, t);
      else ws.frames.push([text, t]);
    });
    ws.on("open", () => resolve(ws));
    ws.on("unexpected-response", (_req, res) => reject(new Error(`${url}: HTTP ${res.statusCode}`)));
    ws.on("error", (err) => reject(err));
  });
}
/** Routes frames to `handler`, first those that arrived before a handler was set. */
function listen(ws, handler) {
  ws.onFrame = handler;
  for (const [text, t] of ws.frames.splice(0)) handler(text, t);
}
const firstFrame = (ws, timeoutMs = 20_000) =>
  new Promise((resolve, reject) => {
    if (ws.frames.length) return resolve(ws.frames[0][0]);
    const timer = setTimeout(() => reject(new Error("no frame")), timeoutMs);
    ws.once("message", (d) => {
      clearTimeout(timer);
      resolve(d.toString());
    });
  });

// ---------------------------------------------------------------- CPU accounting (/proc)

let publicPort = 0;
const PARLEY = "workerd: Parley Worker + DOs";
/** Which Worker the wrangler dev running now serves: Parley's, or part D's bare relay. */
let workerLabel = PARLEY;
function labelOf(pid) {
  if (pid === process.pid) return "load generator (node)";
  const cmd = cmdline(pid);
  if (cmd.includes("workerd")) return cmd.includes(`entry=127.0.0.1:${publicPort}`) ? "workerd: wrangler dev proxy" : workerLabel;
  if (cmd.includes("wrangler-dist")) return "wrangler (node)";
  if (cmd.includes("floor-relay")) return "floor relay (node)";
  if (cmd.includes("esbuild")) return "esbuild";
  return null;
}
function machineTicks() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  return { total: f.reduce((a, b) => a + b, 0), idle };
}
function cpuSnapshot() {
  const per = new Map();
  for (const pid of descendants(process.pid)) {
    const label = labelOf(pid);
    const s = procStat(pid);
    if (label && s) per.set(pid, { label, ticks: s.ticks });
  }
  return { at: now(), machine: machineTicks(), per };
}
/** CPU use between two snapshots, in % of one core, by process kind; plus the machine's other load. */
function cpuBetween(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const byLabel = {};
  let ours = 0;
  for (const [pid, end] of b.per) {
    const start = a.per.get(pid)?.ticks ?? 0;
    const used = (end.ticks - start) / CLK_TCK;
    ours += used;
    byLabel[end.label] = (byLabel[end.label] ?? 0) + used;
  }
  // /proc/stat's first line sums all CPUs: its busy ticks are core-seconds × CLK_TCK.
  const machineBusy = (b.machine.total - a.machine.total - (b.machine.idle - a.machine.idle)) / CLK_TCK;
  const pct = Object.fromEntries(Object.entries(byLabel).map(([k, v]) => [k, (100 * v) / seconds]));
  return { seconds, pct, machineBusyPct: (100 * machineBusy) / seconds, otherPct: (100 * Math.max(0, machineBusy - ours)) / seconds };
}

// ---------------------------------------------------------------- the product's HTTP side

async function signIn(base, email, password, i) {
  const page = await fetch(`${base}/login`);
  await page.arrayBuffer();
  const csrf = cookiesOf(page).parley_csrf;
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    body: form({ email, password, _csrf: csrf }),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `parley_csrf=${csrf}`, "cf-connecting-ip": ipOf(3, i) },
  });
  await res.arrayBuffer();
  const session = cookiesOf(res).parley_session;
  if (res.status !== 303 || !session) throw new Error(`sign-in of ${email} failed: HTTP ${res.status}`);
  return `parley_session=${session}`;
}

/** A fresh browser's CSRF cookie for a contact form, fetched before the timed POST. */
async function contactCsrf(base, path) {
  const page = await fetch(`${base}${path}`);
  await page.arrayBuffer();
  if (!page.ok) throw new Error(`GET ${path}: HTTP ${page.status}`);
  return cookiesOf(page).parley_csrf;
}

/** Posts the contact form; returns the chat id and the customer's chat cookie. */
async function postContact(base, path, name, csrf, ip) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    body: form({ name, mode: "chat", _csrf: csrf }),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `parley_csrf=${csrf}`, "cf-connecting-ip": ip },
  });
  await res.arrayBuffer();
  const location = res.headers.get("location") ?? "";
  const token = cookiesOf(res).parley_chat;
  if (res.status !== 303 || !token) return { error: `HTTP ${res.status}` };
  return { chatId: location.split("/").pop(), cookie: `parley_chat=${token}` };
}

// ---------------------------------------------------------------- frames the product sends

const RE = {
  ringCard: /<article id="ring-([0-9a-f-]{36})" class="ring-card"/,
  ringName: /<dd>(bench-[a-z]\d+)<\/dd>/,
  ringGone: /<div id="ring-([0-9a-f-]{36})" hx-swap-oob="delete">/g,
  chatOpened: /hx-get="\/agent\/chats\/([0-9a-f-]{36})"/,
  status: /data-status="([A-Z_]+)"/,
  error: /id="socket-error"[^>]*>([^<]*)</,
  greeting: /class="line theirs greeting"/,
  ended: /Start a new chat/,
  msg: /msg-(\d+)-end/g,
};

// ---------------------------------------------------------------- the run

const state = {
  phase: "setup",
  base: "",
  wsBase: "",
  agents: [],
  byName: new Map(),
  byChat: new Map(),
  lostAnswers: 0,
  answerErrors: [],
};
const rand = (a, b) => a + Math.random() * (b - a);
const idleAgents = () => state.agents.filter((a) => a.console && a.state === "idle").length;

/**
 * One agent's console: rings are answered after a human-like delay (part A) or at once (part B).
 * A card that rang while the agent was busy stays on the console, as on a real one, and is
 * answered once the agent is free again (the product does not ring an agent twice for a chat).
 */
function consoleHandler(agent) {
  const answerLater = (chatId) => {
    const c = state.byChat.get(chatId);
    if (!c || agent.state !== "idle" || agent.timers.has(chatId)) return;
    const delay = state.phase === "A" ? rand(CFG.answerMin, CFG.answerMax) : 0;
    agent.timers.set(
      chatId,
      setTimeout(() => {
        agent.timers.delete(chatId);
        if (agent.state !== "idle" || !agent.shown.has(chatId)) return;
        agent.state = "answering";
        const at = now();
        c.firstAnswerAt ??= at;
        c.answers.set(agent.index, at);
        agent.console.send(JSON.stringify({ type: "answer", chatId }));
      }, delay),
    );
  };
  return (text, t) => {
    const ring = RE.ringCard.exec(text);
    if (ring) {
      const chatId = ring[1];
      const c = state.byName.get(RE.ringName.exec(text)?.[1]);
      if (!c) return;
      state.byChat.set(chatId, c);
      c.chatId ??= chatId;
      c.ringCount++;
      c.firstRingAt ??= t;
      if (c.firstAnswerAt === undefined) {
        c.waveLastAt = t;
        c.waveCount++;
      }
      agent.shown.add(chatId);
      answerLater(chatId);
    }
    for (const gone of text.matchAll(RE.ringGone)) {
      agent.shown.delete(gone[1]);
      clearTimeout(agent.timers.get(gone[1]));
      agent.timers.delete(gone[1]);
    }
    const error = RE.error.exec(text);
    if (error && agent.state === "answering") {
      agent.state = "idle";
      state.lostAnswers++;
      if (!/answered this chat first|no longer waiting/.test(error[1])) state.answerErrors.push(error[1]);
      for (const chatId of agent.shown) answerLater(chatId);
    }
    const opened = RE.chatOpened.exec(text);
    if (opened) {
      const c = state.byChat.get(opened[1]);
      agent.state = "serving";
      for (const timer of agent.timers.values()) clearTimeout(timer);
      agent.timers.clear();
      if (c) {
        c.announcedAt = t;
        c.winner = agent;
        c.answerSentAt = c.answers.get(agent.index);
        openAgentChat(agent, c);
      }
    }
    const status = RE.status.exec(text)?.[1];
    if (status === "WAITING_NEW_CALL" && (agent.state !== "answering" || error)) {
      agent.state = "idle";
      for (const chatId of agent.shown) answerLater(chatId);
    }
    else if (status === "SERVING_CUSTOMER") agent.state = "serving";
    else if (status === "REMOTE_CUSTOMER_HANGUP" || status === "HANG_UP") {
      // The chat ended: the agent goes back ONLINE for the next customer.
      agent.state = "wrap-up";
      agent.console.send(JSON.stringify({ type: "status", status: "WAITING_NEW_CALL" }));
    }
  };
}

async function openAgentChat(agent, c) {
  try {
    const ws = await openSocket(`${state.wsBase}/chats/${c.chatId}/ws`, agent.cookie);
    c.agentWs = ws;
    await firstFrame(ws);
    c.agentReady?.();
    if (state.phase === "A") {
      listen(ws, (text) => {
        if (RE.ended.test(text) || /chat ended|hung up/i.test(text)) ws.close();
      });
    }
  } catch (err) {
    c.error ??= `agent chat socket: ${err.message}`;
    c.agentReady?.();
  }
}

function newCustomer(name, index) {
  const c = { name, index, ringCount: 0, waveCount: 0, answers: new Map() };
  state.byName.set(name, c);
  return c;
}

async function connectConsole(agent) {
  agent.console = await openSocket(`${state.wsBase}/agent/ws?device=browser`, agent.cookie);
  await firstFrame(agent.console);
  listen(agent.console, consoleHandler(agent));
  agent.console.send(JSON.stringify({ type: "status", status: "WAITING_NEW_CALL" }));
}

async function waitFor(cond, timeoutMs, stepMs = 100) {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if (await cond()) return true;
    await sleep(stepMs);
  }
  return false;
}

async function roomOnline(expected) {
  const res = await fetch(`${state.base}/api/stats/bench/GENERAL`);
  const body = await res.json();
  return body.agStatSummary?.browserAgentStatus?.WAITING_NEW_CALL === expected;
}

/** Waits (up to a minute) until the Worker's workerd is nearly idle, so one part's backlog does not spill into the next. */
async function settle(maxMs = 45_000) {
  const deadline = now() + maxMs;
  while (now() < deadline) {
    const a = cpuSnapshot();
    await sleep(1000);
    const busy = cpuBetween(a, cpuSnapshot()).pct[workerLabel] ?? 0;
    if (busy < 10) return;
  }
  log(`warning: the Worker was still busy after ${maxMs / 1000} s of waiting`);
}

/** The newest modification time of the Worker's sources: wrangler dev rebuilds when they change. */
function sourceStamp(dir = root) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const sub of ["worker", "durable-objects", "views"]) if (existsSync(join(dir, sub))) walk(join(dir, sub));
  return newest;
}

/** The code under test: the commit, and how many source files differ from it. */
function codeVersion() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "worker", "durable-objects", "views", "migrations", "wrangler.toml"], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean).length;
    return dirty ? `${head} with ${dirty} uncommitted source file change${dirty > 1 ? "s" : ""}` : head;
  } catch {
    return "unknown (not a git checkout)";
  }
}

/** scripts/dev-server.mjs of the tree to serve: this one, or a copy taken now (--snapshot). */
async function serverTree() {
  if (!CFG.snapshot) return { dir: root, ...(await import("../scripts/dev-server.mjs")) };
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-src-"));
  const skip = new Set(["node_modules", ".git", ".wrangler", "test-results", "screenshots"]);
  cpSync(root, dir, { recursive: true, filter: (src) => !skip.has(relative(root, src).split(sep)[0]) });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  // The copy's bundles get names of their own (esbuild's hashes follow the resolved paths, and
  // node_modules is reached through a link): built now, wrangler dev's build finds them made and
  // the Worker's manifest is not rewritten under the run, which would count as a change.
  execFileSync(process.execPath, [join(dir, "scripts", "build-assets.mjs")], { stdio: "inherit" });
  return { dir, ...(await import(pathToFileURL(join(dir, "scripts", "dev-server.mjs")).href)) };
}

// ---- part A: ring and answer

async function partA() {
  const agents = state.agents.slice(0, CFG.agents);
  log(`A: ${agents.length} agent consoles connecting`);
  await pool(agents, 20, connectConsole);
  const online = await waitFor(() => roomOnline(agents.length), 30_000, 250);
  if (!online) throw new Error("A: the agents did not all show ONLINE in /api/stats/bench/GENERAL");
  log(`A: ${agents.length} agents ONLINE in GENERAL; ${CFG.customers} customers fetch the form`);
  const fanout = CFG.fanout ? await ringFanout(CFG.fanout) : null;

  const customers = Array.from({ length: CFG.customers }, (_, i) => newCustomer(`bench-a${i}`, i));
  await pool(customers, 20, async (c) => (c.csrf = await contactCsrf(state.base, "/c/bench/GENERAL")));
  await collectGarbage(state.inspectorPort, `${state.base}/login`);

  state.phase = "A";
  const spacing = CFG.customers > 1 ? (CFG.arrivalS * 1000) / CFG.customers : 0;
  const done = [];
  const cpu0 = cpuSnapshot();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const start = now();
  log(`A: ${CFG.customers} customers arrive over ${CFG.arrivalS}s (one every ${spacing.toFixed(0)} ms)`);
  for (const c of customers) {
    const wait = start + c.index * spacing - now();
    if (wait > 0) await sleep(wait);
    done.push(customerA(c));
  }
  await Promise.race([Promise.all(done), sleep(30_000)]);
  const cpu1 = cpuSnapshot();
  loop.disable();
  // Stragglers (a server that fell behind): agents hang up their chats, waiting customers leave.
  for (const c of customers) {
    if (c.agentWs?.readyState === 1 && c.endedAt === undefined) c.agentWs.send(JSON.stringify({ type: "hangup" }));
    if (c.ws?.readyState === 1 && c.connectedAt === undefined) c.ws.close();
  }
  const back = await waitFor(() => agents.every((a) => a.state === "idle"), 10_000);
  if (!back) log(`A: ${agents.filter((a) => a.state !== "idle").length} agents not back ONLINE yet (the server is stopped after part A anyway)`);
  state.phase = "between";

  const ring = customers.filter((c) => c.postAt !== undefined && c.firstRingAt !== undefined).map((c) => c.firstRingAt - c.postAt);
  const wave = customers.filter((c) => c.waveLastAt !== undefined).map((c) => c.waveLastAt - c.postAt);
  const post = customers.filter((c) => c.postDoneAt !== undefined).map((c) => c.postDoneAt - c.postAt);
  const answeredFine = customers.filter((c) => c.answerSentAt !== undefined && c.connectedAt !== undefined && c.wsOpenAt < c.answerSentAt);
  const toCustomer = answeredFine.map((c) => c.connectedAt - c.answerSentAt);
  const toAgent = customers.filter((c) => c.answerSentAt !== undefined && c.announcedAt !== undefined).map((c) => c.announcedAt - c.answerSentAt);
  return {
    agents: agents.length,
    customers: customers.length,
    windowS: (cpu1.at - cpu0.at) / 1000,
    ring: summarize(ring),
    wave: summarize(wave),
    consolesPerRing: summarize(customers.map((c) => c.waveCount)),
    post: summarize(post),
    toCustomer: summarize(toCustomer),
    toAgent: summarize(toAgent),
    posted: customers.filter((c) => c.chatId && !c.error).length,
    failed: customers.filter((c) => c.error).map((c) => `${c.name}: ${c.error}`),
    rung: ring.length,
    connected: customers.filter((c) => c.connectedAt !== undefined).length,
    ended: customers.filter((c) => c.endedAt !== undefined).length,
    socketLate: customers.filter((c) => c.answerSentAt !== undefined && c.connectedAt !== undefined && !(c.wsOpenAt < c.answerSentAt)).length,
    answerAttempts: customers.reduce((n, c) => n + c.answers.size, 0),
    lostAnswers: state.lostAnswers,
    answerErrors: [...new Set(state.answerErrors)],
    minIdleAtPost: Math.min(...customers.filter((c) => c.idleAtPost !== undefined).map((c) => c.idleAtPost)),
    noIdleAtPost: customers.filter((c) => c.idleAtPost === 0).length,
    cpu: cpuBetween(cpu0, cpu1),
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    fanout,
  };
}

/**
 * The ring's fan-out alone, on an idle server: `rounds` made-up chats, each rung on every console
 * and withdrawn (the withdrawal alone, ~80 ms later). The Worker's workerd CPU over the calls,
 * less its idle floor, divided by the rounds is the fan-out's price per chat.
 */
async function ringFanout(rounds) {
  await settle();
  const cpu0 = cpuSnapshot();
  const res = await fetch(`${state.base}/dev/ring-fanout?n=${rounds}`, { method: "POST" });
  if (!res.ok) throw new Error(`ring-fanout: HTTP ${res.status} ${await res.text()}`);
  const body = await res.json();
  const cpu = cpuBetween(cpu0, cpuSnapshot());
  const perChat = (label) => (((cpu.pct[label] ?? 0) / 100) * cpu.seconds * 1000) / rounds;
  const result = { rounds, consoles: body.consoles, msPerRingCall: body.msPerRing, workerMsPerChat: perChat(PARLEY), proxyMsPerChat: perChat("workerd: wrangler dev proxy"), cpu };
  log(
    `A: fan-out, ${rounds} chats to ${result.consoles} consoles each: ring call ${ms(result.msPerRingCall)} ms; ` +
      `CPU per chat (ring + withdrawal): Worker's workerd ${ms(result.workerMsPerChat)} ms, wrangler's proxy ${ms(result.proxyMsPerChat)} ms`,
  );
  return result;
}

async function customerA(c) {
  c.idleAtPost = idleAgents();
  c.postAt = now();
  const posted = await postContact(state.base, "/c/bench/GENERAL", c.name, c.csrf, ipOf(1, c.index)).catch((e) => ({ error: e.message }));
  c.postDoneAt = now();
  if (posted.error) {
    c.error = `contact form: ${posted.error}`;
    return;
  }
  c.chatId = posted.chatId;
  state.byChat.set(c.chatId, c);
  try {
    c.ws = await openSocket(`${state.wsBase}/chats/${c.chatId}/ws`, posted.cookie);
    c.wsOpenAt = now();
  } catch (err) {
    c.error = `customer socket: ${err.message}`;
    return;
  }
  await new Promise((resolve) => {
    const giveUp = setTimeout(() => {
      c.error ??= c.connectedAt === undefined ? "never connected" : "never ended";
      c.ws.close();
      resolve();
    }, 25_000);
    listen(c.ws, (text, t) => {
      if (c.connectedAt === undefined && RE.greeting.test(text)) {
        c.connectedAt = t;
        setTimeout(() => c.ws.send(JSON.stringify({ type: "hangup" })), CFG.holdMs);
      }
      if (c.connectedAt !== undefined && RE.ended.test(text)) {
        c.endedAt = t;
        clearTimeout(giveUp);
        c.ws.close();
        resolve();
      }
    });
  });
}

// ---- part B: relay through the product

async function partBSetup() {
  state.phase = "B";
  const extra = state.agents.slice(0, CFG.pairs).filter((a) => !a.console);
  log(`B: ${extra.length} more agent consoles connecting (${CFG.pairs} agents in all)`);
  await pool(extra, 20, connectConsole);
  log(`B: opening ${CFG.pairs} chats, one through each agent's private room`);
  const pairs = await pool(state.agents.slice(0, CFG.pairs), 16, async (agent, j) => {
    const c = newCustomer(`bench-b${j}`, j);
    const path = `/c/bench/~${agent.handle}`;
    const agentReady = new Promise((r) => (c.agentReady = r));
    const posted = await postContact(state.base, path, c.name, await contactCsrf(state.base, path), ipOf(2, j));
    if (posted.error) throw new Error(`B: contact form of ${path}: ${posted.error}`);
    c.chatId = posted.chatId;
    state.byChat.set(c.chatId, c);
    c.ws = await openSocket(`${state.wsBase}/chats/${c.chatId}/ws`, posted.cookie);
    c.customerCookie = posted.cookie;
    const connected = new Promise((resolve) => listen(c.ws, (text) => RE.greeting.test(text) && resolve()));
    const ok = await Promise.race([Promise.all([connected, agentReady]).then(() => true), sleep(30_000).then(() => false)]);
    if (!ok || !c.agentWs || c.error) throw new Error(`B: chat ${j} (${path}) did not connect: ${c.error ?? "timeout"}`);
    return { customer: c.ws, agent: c.agentWs, c, agentCookie: agent.cookie };
  });
  log(`B: ${pairs.length} chats connected, both sockets open`);
  return pairs;
}

/**
 * Calls each of `tasks` once every `period` ms, each at its own random phase, on a fixed timeline.
 * One `setInterval` per task would drift: an interval restarts from when its callback ran, so
 * every stall of the event loop lines up the tasks it delayed, and they then fire in bursts
 * every period for the rest of the run instead of at random phases.
 */
function everyPeriod(tasks, period) {
  const start = now();
  const due = tasks.map((task) => ({ task, phase: Math.random() * period })).sort((a, b) => a.phase - b.phase);
  let next = 0;
  let round = 0;
  let timer;
  const run = () => {
    for (;;) {
      const at = start + round * period + due[next].phase;
      if (at > now()) return (timer = setTimeout(run, at - now()));
      due[next].task();
      if (++next === due.length) (next = 0), round++;
    }
  };
  run();
  return () => clearTimeout(timer);
}

/** Sends texts both ways on every pair at `rate` per side; returns send → other-party latencies. */
async function runRelay(label, pairs, { expectEcho }) {
  const period = 1000 / CFG.rate;
  const sent = new Map();
  let nextId = 1;
  let errors = 0;
  const lat = [];
  const echo = [];
  const onFrame = (self) => (text, t) => {
    if (text.includes('id="socket-error"')) errors++;
    for (const m of text.matchAll(RE.msg)) {
      const rec = sent.get(Number(m[1]));
      if (!rec) continue;
      if (rec.to === self && !rec.got) {
        rec.got = true;
        if (rec.measured) lat.push(t - rec.at);
      } else if (rec.from === self && expectEcho && rec.measured) echo.push(t - rec.at);
    }
  };
  let closed = 0;
  const countClose = () => closed++;
  for (const p of pairs) {
    listen(p.customer, onFrame(p.customer));
    listen(p.agent, onFrame(p.agent));
    p.customer.on("close", countClose);
    p.agent.on("close", countClose);
  }
  const start = now();
  const measureFrom = start + CFG.warmupS * 1000;
  const measureTo = measureFrom + CFG.relayS * 1000;
  let sending = true;
  const senders = [];
  for (const p of pairs) {
    for (const [from, to] of [
      [p.customer, p.agent],
      [p.agent, p.customer],
    ]) {
      senders.push(() => {
        if (!sending || from.readyState !== 1) return;
        const id = nextId++;
        const at = now();
        sent.set(id, { from, to, at, measured: at >= measureFrom && at < measureTo, got: false });
        from.send(JSON.stringify({ type: "text", text: `Benchmark text msg-${id}-end, typed by the load generator.` }));
      });
    }
  }
  const stopSending = everyPeriod(senders, period);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  if (server) await collectGarbage(state.inspectorPort, server.url + (workerLabel === PARLEY ? "/login" : "/"));
  await sleep(measureFrom - now());
  const cpu0 = cpuSnapshot();
  loop.enable();
  await sleep(measureTo - now());
  const cpu1 = cpuSnapshot();
  loop.disable();
  sending = false;
  stopSending();
  const measured = [...sent.values()].filter((r) => r.measured);
  // Late texts still count, up to the drain limit; those later than that are reported as lost.
  const drainedAt = now() + CFG.drainS * 1000;
  while (now() < drainedAt && measured.some((r) => !r.got)) await sleep(100);
  const result = {
    label,
    pairs: pairs.length,
    sent: measured.length,
    perSecond: measured.length / CFG.relayS,
    lost: measured.filter((r) => !r.got).length,
    errors,
    closed,
    relay: summarize(lat),
    echo: expectEcho ? summarize(echo) : null,
    cpu: cpuBetween(cpu0, cpu1),
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
  };
  for (const p of pairs) {
    p.customer.onFrame = () => {};
    p.agent.onFrame = () => {};
    p.customer.off("close", countClose);
    p.agent.off("close", countClose);
  }
  log(`${label}: ${result.sent} texts, p50 ${ms(result.relay.p50)} ms, p99 ${ms(result.relay.p99)} ms, max ${ms(result.relay.max)} ms, lost ${result.lost}${closed ? `, ${closed} sockets closed by the server` : ""}`);
  return result;
}

// ---- part B': the same chats straight to the inner workerd, without wrangler dev's proxy

function listeningPorts(pid) {
  const inodes = new Set();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    }
  } catch {
    return [];
  }
  const ports = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length > 9 && f[3] === "0A" && inodes.has(f[9])) ports.push(parseInt(f[1].split(":")[1], 16));
  }
  return ports;
}

/** The inner workerd's own socket: the one of its listening ports where `isWorker(response to GET path)`. */
async function innerWorkerUrl(path, isWorker) {
  for (const pid of descendants(process.pid)) {
    if (labelOf(pid) !== workerLabel) continue;
    for (const port of listeningPorts(pid)) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
        if (res.ok && isWorker(res, await res.text())) return `http://127.0.0.1:${port}`;
      } catch {
        // not the entry socket
      }
    }
  }
  return null;
}

/**
 * Asks V8 for a full garbage collection of the Worker's isolate, through wrangler dev's inspector
 * proxy (workerd's own inspector takes one client, and wrangler is it). Done before a measured
 * window, so the garbage of setting the run up (sign-ins, 1000 sockets, 500 chats, the sockets a
 * re-attachment drops) is not swept inside it: one such sweep stalled the thread for 150–220 ms.
 * The garbage the measured traffic makes is still collected inside the window. workerd runs
 * the command the next time the isolate is entered, so requests to `nudgeUrl` go along until
 * the answer comes.
 */
async function collectGarbage(inspectorPort, nudgeUrl) {
  const ws = new WebSocket(`ws://127.0.0.1:${inspectorPort}/ws`, { perMessageDeflate: false });
  let outcome = null;
  const answered = new Promise((resolve) => {
    ws.once("open", () => ws.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" })));
    ws.on("message", (d) => JSON.parse(d.toString()).id === 1 && resolve("collected"));
    ws.once("error", (err) => resolve(`the inspector refused: ${err.message}`));
  }).then((o) => (outcome = o));
  const deadline = now() + 10_000;
  while (!outcome && now() < deadline) {
    await fetch(nudgeUrl).then((res) => res.arrayBuffer(), () => {});
    await Promise.race([answered, sleep(100)]);
  }
  ws.close();
  if (outcome !== "collected") log(`warning: no garbage collection before the window (${outcome ?? "no answer within 10 s"})`);
}

async function reattach(pairs, base) {
  const wsBase = base.replace("http", "ws");
  return pool(pairs, 25, async (p) => {
    const customer = await openSocket(`${wsBase}/chats/${p.c.chatId}/ws`, p.c.customerCookie);
    const agent = await openSocket(`${wsBase}/chats/${p.c.chatId}/ws`, p.agentCookie);
    await Promise.all([firstFrame(customer), firstFrame(agent)]);
    customer.frames.length = 0;
    agent.frames.length = 0;
    p.customer.close();
    p.agent.close();
    return { ...p, customer, agent };
  });
}

// ---- part C: the floor

async function startFloor() {
  const child = spawn(process.execPath, [join(root, "bench", "floor-relay.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      const line = buf.split("\n")[0];
      if (buf.includes("\n")) resolve(JSON.parse(line).port);
    });
    child.once("exit", (code) => reject(new Error(`floor relay exited with ${code}`)));
  });
  return { port, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once("exit", r), child.kill("SIGTERM")))) };
}

const closePairs = (pairs) => pairs.forEach((p) => (p.customer.close(), p.agent.close()));

/** `count` pairs of sockets on `${wsBase}/pair/{n}`, as both relays without Parley take them. */
async function floorPairs(wsBase, count) {
  return pool(Array.from({ length: count }, (_, i) => i), 50, async (i) => ({
    customer: await openSocket(`${wsBase}/pair/${i}`),
    agent: await openSocket(`${wsBase}/pair/${i}`),
  }));
}

// ---- part D: the platform floor

/**
 * The same pairs, rate and texts through bench/platform-relay: a bare relay Durable Object under
 * its own wrangler dev, once through the public port and once straight to its workerd.
 */
async function partD(tree) {
  workerLabel = "workerd: bare relay Worker + DO";
  const stateDir = mkdtempSync(join(CFG.stateParent, "parley-bench-"));
  stateDirs.push(stateDir);
  publicPort = await freePort();
  state.inspectorPort = await freePort();
  log(`D: starting wrangler dev for bench/platform-relay on 127.0.0.1:${publicPort}`);
  const config = join(tree.dir, "bench", "platform-relay", "wrangler.toml");
  server = await tree.startWrangler({ port: publicPort, inspectorPort: state.inspectorPort, persistTo: stateDir, quiet: true, config, readyPath: "/" });
  const inner = CFG.direct ? await innerWorkerUrl("/", (_res, text) => text.startsWith("platform relay")) : null;
  let pairs = await floorPairs(server.url.replace("http", "ws"), CFG.pairs);
  await settle();
  const results = [await runRelay("platform floor: bare relay Durable Object via wrangler dev (public port)", pairs, { expectEcho: false })];
  if (inner) {
    const direct = await floorPairs(inner.replace("http", "ws"), CFG.pairs);
    closePairs(pairs);
    pairs = direct;
    await settle();
    results.push(await runRelay("platform floor direct to its workerd (diagnostic)", pairs, { expectEcho: false }));
  } else if (CFG.direct) log("D: the inner workerd's port was not found; its direct run is skipped");
  closePairs(pairs);
  await server.stop();
  server = null;
  return results;
}

// ---------------------------------------------------------------- report

function machine() {
  const cpu = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.*)/.exec(cpu)?.[1] ?? "unknown";
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return "?";
    }
  };
  return {
    nproc: availableParallelism(),
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    cpu: model,
    wrangler: pkg("wrangler"),
    workerd: pkg("workerd"),
    ws: pkg("ws"),
    loadavg: loadavg().map((l) => l.toFixed(2)).join(" "),
  };
}

const row = (cells) => `| ${cells.join(" | ")} |`;
const statRow = (name, s, unit = "ms") => row([name, String(s.n), `${ms(s.p50)} ${unit}`, `${ms(s.p90)} ${unit}`, `${ms(s.p99)} ${unit}`, `${ms(s.max)} ${unit}`]);
const cpuText = (cpu) =>
  Object.entries(cpu.pct)
    .filter(([, v]) => v >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(0)}%`)
    .join(", ") + `; other processes on the machine ${cpu.otherPct.toFixed(0)}%; machine busy ${cpu.machineBusyPct.toFixed(0)}% of ${availableParallelism() * 100}%`;

function render(results) {
  const { a, relays, floor, platform, m, command, date, durationS, changed } = results;
  const product = relays[0];
  const bare = platform.find((r) => !r.label.includes("direct"));
  const ratio = product && bare ? product.relay.p99 / bare.relay.p99 : NaN;
  const ringMet = !!a && a.ring.p99 < TARGET.ringP99Ms && a.rung === a.customers;
  const relayMet = ratio <= TARGET.relayRatio && product?.lost === 0;
  const yes = (b) => (b ? "**met**" : "**not met**");
  const lines = [
    `## Latest run`,
    ``,
    `- Date: ${date}`,
    `- Command: \`${command}\` (${durationS.toFixed(0)} s in all, including starting wrangler dev and signing in the agents)`,
    `- Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memGiB} GiB memory, Node ${m.node}; wrangler ${m.wrangler}, workerd ${m.workerd}, ws ${m.ws}; load average at start ${m.loadavg}` +
      (process.env.X_LOCAL_OBSERVABILITY ? `; X_LOCAL_OBSERVABILITY=${process.env.X_LOCAL_OBSERVABILITY}` : "") +
      `; wrangler state in ${CFG.stateParent}${CFG.stateParent === "/dev/shm" ? " (memory)" : ""}`,
    `- Code: ${m.code}${CFG.snapshot ? " (served from a copy taken at the start of the run)" : " (served from the live tree)"}`,
    `- Everything on loopback in this one machine: the load generator (one Node process), wrangler dev (a Node process and two workerd processes: its proxy on the public port, and the Worker with the Durable Objects and the local D1), the floor relay (one Node process), and for part D a second wrangler dev (the same three processes) serving bench/platform-relay.`,
    ...(changed ? [`- **Source files changed during the run** (other work in the tree), so wrangler dev rebuilt and reloaded the Worker meanwhile.`] : []),
    ``,
    `### Targets (issue 22)`,
    ``,
    row(["target", "measured", "result"]),
    row(["---", "---", "---"]),
    a
      ? row([
          `ring p99 < ${TARGET.ringP99Ms} ms, ${a.agents} agents ONLINE, ${a.customers} customers within ${CFG.arrivalS} s`,
          `p99 ${ms(a.ring.p99)} ms (${a.rung}/${a.customers} rung)`,
          yes(ringMet),
        ])
      : row(["ring", "not run", "—"]),
    product && bare
      ? row([
          `relay p99 ≤ ${TARGET.relayRatio}× the bare relay Durable Object's p99 (public port, same run), ${product.pairs} concurrent chats`,
          `${ms(product.relay.p99)} ms / ${ms(bare.relay.p99)} ms = ${ratio.toFixed(2)}×`,
          yes(relayMet),
        ])
      : row(["relay", "not run", "—"]),
    ``,
    ...(platform.length && floor
      ? [
          `The platform floor (part D: a bare relay Durable Object under the same wrangler dev, which stores each text and forwards it, nothing else) has p99 ` +
            platform.map((r) => `${ms(r.relay.p99)} ms = ${(r.relay.p99 / floor.relay.p99).toFixed(1)}× the floor ${r.label.includes("direct") ? "straight to its workerd" : "through the public port"}`).join(", and ") +
            `.`,
          ``,
        ]
      : []),
  ];
  if (a) {
    lines.push(
      `### A. Ring and answer`,
      ``,
      `${a.agents} agents signed in, consoles open (\`/agent/ws?device=browser\`), all ONLINE in GENERAL (quickest reply: every free agent is rung). ` +
        `${a.customers} customers post the contact form of \`/c/bench/GENERAL\`, one every ${((CFG.arrivalS * 1000) / CFG.customers).toFixed(0)} ms, each from its own \`cf-connecting-ip\`. ` +
        `An agent answers a ring after a random ${CFG.answerMin}–${CFG.answerMax} ms (a person's reaction; a ring withdrawn meanwhile is not answered, and one that came while the agent was busy is answered once they are free); ` +
        `the customer hangs up ${CFG.holdMs} ms after connecting and the agent goes back ONLINE (\`WAITING_NEW_CALL\`).`,
      ``,
      row(["measurement", "count", "p50", "p90", "p99", "max"]),
      row(["---", "---:", "---:", "---:", "---:", "---:"]),
      statRow("contact-form POST sent → first ring frame on a console", a.ring),
      // Not only the first fan-out: agents who come free while the chat waits are rung too, so
      // under load this runs up to the first answer (300 ms at the soonest).
      statRow("POST sent → the chat's last ring frame before an agent answered", a.wave),
      row(["consoles rung per chat before an agent answered", String(a.consolesPerRing.n), ...[a.consolesPerRing.p50, a.consolesPerRing.p90, a.consolesPerRing.p99, a.consolesPerRing.max].map(String)]),
      statRow("POST sent → its 303 response (the POST returns after the ring is sent)", a.post),
      statRow("answer sent → customer's socket shows the agent's greeting (connected)", a.toCustomer),
      statRow("answer sent → winning console told to open the chat", a.toAgent),
      ``,
      `Counts: ${a.posted}/${a.customers} chats opened, ${a.rung} rung, ${a.connected} connected, ${a.ended} ended; ` +
        `${a.answerAttempts} answers sent, ${a.lostAnswers} lost to a faster agent` +
        (a.answerErrors.length ? ` (other refusals: ${a.answerErrors.join("; ")})` : "") +
        `; ${a.socketLate} connected before the customer's socket was open (left out of the connected row); ` +
        `free agents when a customer posted: at least ${a.minIdleAtPost} (${a.noIdleAtPost} customers found none free). ` +
        (a.failed.length ? `Failures: ${a.failed.slice(0, 5).join("; ")}${a.failed.length > 5 ? ` … (${a.failed.length} in all)` : ""}. ` : "No failures. ") +
        `CPU over the ${a.windowS.toFixed(0)} s window (% of one core): ${cpuText(a.cpu)}. Load generator event-loop delay p99 ${ms(a.loopP99)} ms.` +
        (a.fanout
          ? ` Fan-out alone before the customers (\`--fanout=${a.fanout.rounds}\`): ${a.fanout.rounds} made-up chats rung on ${a.fanout.consoles} consoles and withdrawn, one at a time; ` +
            `the ring call ${ms(a.fanout.msPerRingCall)} ms; CPU per chat ${ms(a.fanout.workerMsPerChat)} ms in the Worker's workerd and ${ms(a.fanout.proxyMsPerChat)} ms in wrangler's proxy.`
          : ""),
      ``,
    );
  }
  if (relays.length || floor || platform.length) {
    const all = [...relays, ...(floor ? [floor] : []), ...platform];
    const pairs = all[0].pairs;
    lines.push(
      `### B/C/D. Message relay`,
      ``,
      `${pairs} chats answered, customer and agent sockets open (\`/chats/{id}/ws\`); each side sends a text (\`{"type":"text"}\`, ~60 characters) every ${(1000 / CFG.rate).toFixed(0)} ms, ` +
        `phases random, ${(2 * pairs * CFG.rate).toFixed(0)} texts/s in all; latency = send → the frame with that text at the other party. ` +
        `${CFG.warmupS} s warm-up, ${CFG.relayS} s measured, then up to ${CFG.drainS} s for late texts ("lost": not there by then; percentiles are over the texts that arrived). The floor: the same pairs, rate and texts through bench/floor-relay.mjs ` +
        `(Node + ws, forwards each message to the peer, nothing else). The platform floor: the same again through bench/platform-relay (one SQLite-backed Durable Object per pair under wrangler dev, ` +
        `sockets accepted with the Hibernation API; stores each text, then forwards it to the peer). ` +
        `Before each measured window the Worker's isolate is asked for a full garbage collection (through the inspector), so the garbage of setting the run up is not swept inside it. ` +
        `Clients use \`ws\` ${m.ws} without compression for all.`,
      ``,
      row(["path", "texts", "lost", "p50", "p90", "p99", "max", "p99 / floor p99"]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...all.map((r) =>
        row([
          r.label,
          String(r.sent),
          String(r.lost),
          `${ms(r.relay.p50)} ms`,
          `${ms(r.relay.p90)} ms`,
          `${ms(r.relay.p99)} ms`,
          `${ms(r.relay.max)} ms`,
          floor ? `${(r.relay.p99 / floor.relay.p99).toFixed(1)}×` : "—",
        ]),
      ),
      ``,
      ...relays.filter((r) => r.echo).map((r) => `- ${r.label}: the sender's own copy of its text comes back after p50 ${ms(r.echo.p50)} ms, p99 ${ms(r.echo.p99)} ms; ${r.errors} error frames; ${r.closed} sockets closed during the run.`),
      ...all.map((r) => `- CPU during "${r.label}" (% of one core): ${cpuText(r.cpu)}. Load generator event-loop delay p99 ${ms(r.loopP99)} ms, max ${ms(r.loopMax)} ms.`),
    );
  }
  return { text: lines.join("\n"), ringMet, relayMet, ratio };
}

function writeReport(text) {
  if (CFG.report === "-") return;
  const path = join(root, CFG.report);
  const start = "<!-- bench:results:start -->";
  const end = "<!-- bench:results:end -->";
  const block = `${start}\n${text}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, "utf8") : `# Benchmarks\n\nWritten by \`npm run bench\` (bench/chat-load.mjs).\n\n${start}\n${end}\n`;
  const next = current.includes(start) && current.includes(end) ? current.slice(0, current.indexOf(start)) + block + current.slice(current.indexOf(end) + end.length) : `${current}\n${block}\n`;
  writeFileSync(path, next);
  log(`wrote ${CFG.report}`);
}

// ---------------------------------------------------------------- main

let server = null;
let floorServer = null;
let snapshotDir = null;
const stateDirs = [];
const cleanup = async () => {
  await floorServer?.stop().catch(() => {});
  await server?.stop().catch(() => {});
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
};
const watchdog = setTimeout(async () => {
  console.error(`bench: stopped after the ${CFG.limitS} s time limit`);
  await cleanup();
  process.exit(2);
}, CFG.limitS * 1000);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => cleanup().then(() => process.exit(130)));

/**
 * A fresh wrangler dev (its own state directory) with `count` bench agents signed in. Each part
 * gets its own, so a backlog left by one part cannot spill into the next.
 */
async function freshServer(tree, count) {
  await server?.stop();
  workerLabel = PARLEY;
  const stateDir = mkdtempSync(join(CFG.stateParent, "parley-bench-"));
  stateDirs.push(stateDir);
  publicPort = await freePort();
  log(`starting wrangler dev on 127.0.0.1:${publicPort} (state in ${stateDir}${process.env.X_LOCAL_OBSERVABILITY ? `, X_LOCAL_OBSERVABILITY=${process.env.X_LOCAL_OBSERVABILITY}` : ""})`);
  state.inspectorPort = await freePort();
  server = await tree.startServer({ port: publicPort, inspectorPort: state.inspectorPort, persistTo: stateDir, quiet: true });
  state.base = server.url;
  state.wsBase = server.url.replace("http", "ws");
  const seedRes = await fetch(`${state.base}/dev/seed-bench?agents=${count}`, { method: "POST" });
  if (!seedRes.ok) throw new Error(`seed-bench: HTTP ${seedRes.status} ${await seedRes.text()}`);
  const seed = await seedRes.json();
  log(`seeded company ${seed.company} with ${seed.agents.length} agents; signing them in`);
  const cookies = await pool(seed.agents, 4, (a, i) => signIn(state.base, a.email, seed.password, i));
  state.agents = seed.agents.map((a, i) => ({ ...a, index: i, cookie: cookies[i], state: "idle", timers: new Map(), shown: new Set(), console: null }));
  // Found while the server is idle: under load it may not answer a probe in time.
  state.inner = await innerWorkerUrl("/login", (res) => Boolean(cookiesOf(res).parley_csrf));
}

try {
  const m = machine();
  m.code = codeVersion();
  const tree = await serverTree();
  snapshotDir = CFG.snapshot ? tree.dir : null;
  const sourcesBefore = sourceStamp(tree.dir);

  let a = null;
  if (CFG.parts.has("a")) {
    await freshServer(tree, CFG.agents);
    a = await partA();
    log(`A: ring p50 ${ms(a.ring.p50)} ms, p99 ${ms(a.ring.p99)} ms (${a.rung}/${a.customers}); answer→connected p99 ${ms(a.toCustomer.p99)} ms`);
  }

  const relays = [];
  if (CFG.parts.has("b")) {
    await freshServer(tree, CFG.pairs);
    let pairs = await partBSetup();
    await settle();
    relays.push(await runRelay("Parley via wrangler dev (public port)", pairs, { expectEcho: true }));
    if (CFG.direct) {
      const inner = state.inner;
      if (inner) {
        log(`B': re-attaching the ${pairs.length} chats to the inner workerd at ${inner} (no wrangler proxy)`);
        pairs = await reattach(pairs, inner);
        await settle();
        relays.push(await runRelay("Parley direct to the Worker's workerd (diagnostic)", pairs, { expectEcho: true }));
      } else log("B': the inner workerd's port was not found; skipped");
    }
  }

  await server?.stop();
  server = null;
  let floor = null;
  if (CFG.parts.has("c")) {
    floorServer = await startFloor();
    log(`C: floor relay on 127.0.0.1:${floorServer.port}`);
    const fp = await floorPairs(`ws://127.0.0.1:${floorServer.port}`, CFG.pairs);
    floor = await runRelay("floor: bare ws relay in Node", fp, { expectEcho: false });
    closePairs(fp);
    await floorServer.stop();
    floorServer = null;
  }
  const platform = CFG.parts.has("d") ? await partD(tree) : [];

  const changed = sourceStamp(tree.dir) !== sourcesBefore;
  const args = process.argv.slice(2).join(" ");
  const env = process.env.X_LOCAL_OBSERVABILITY !== "false" ? `X_LOCAL_OBSERVABILITY=${process.env.X_LOCAL_OBSERVABILITY} ` : "";
  const command = process.env.npm_lifecycle_event === "bench" ? `${env}npm run bench${args ? ` -- ${args}` : ""}` : `${env}node bench/chat-load.mjs${args ? ` ${args}` : ""}`;
  const report = render({ a, relays, floor, platform, m, command, changed, date: new Date().toISOString().replace(/\.\d+Z$/, "Z"), durationS: (now() - T0) / 1000 });
  console.log(`\n${report.text}\n`);
  if (a && relays.length && floor && platform.length) writeReport(report.text);
  else log("not all parts ran: BENCHMARKS.md left as it is");
  if (changed) log("warning: source files changed during the run, so wrangler dev rebuilt and reloaded the Worker; the numbers may include that");
  clearTimeout(watchdog);
  await cleanup();
  process.exit(0);
} catch (err) {
  console.error("bench failed:", err);
  clearTimeout(watchdog);
  await cleanup();
  process.exit(1);
}
