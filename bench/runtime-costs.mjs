// `npm run bench:costs`: what the local runtime (wrangler dev's workerd, one thread for the
// Worker, its Durable Objects and the local D1) charges for the operations a chat is made of.
// It starts its own wrangler dev (a free port, a throw-away state directory) and calls
// GET /dev/costs, which runs each probe `--n` times one after another inside the Worker; on an
// otherwise idle server the time is that thread's, and the workerd process's CPU (from /proc)
// over the same call says how much of it was work rather than waiting. Then it sends pages, a
// contact form and a static file from outside, one after another, and divides the CPU of
// wrangler dev's two workerd processes (the Worker's, and the proxy on the public port) by them.
//   --n=500 --rounds=3 (the first round warms up and is not shown) --state=/dev/shm (memory where
//   there is one, as in bench/chat-load.mjs; --state=/tmp for disk)
// X_LOCAL_OBSERVABILITY (wrangler dev's trace collector) is off unless set, as in bench/chat-load.mjs.

import { mkdtempSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { benchStateParent, freePort, startServer } from "../scripts/dev-server.mjs";
import { CLK_TCK, cmdline, descendants, procStat } from "./processes.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const n = Number(arg("n", "500"));
const rounds = Number(arg("rounds", "3"));
process.env.X_LOCAL_OBSERVABILITY ??= "false";

/** wrangler dev's two workerd processes: the Worker's (started with an inspector) and its proxy on the public port. */
function workerdPids() {
  const all = descendants(process.pid).filter((p) => cmdline(p).includes("workerd"));
  const worker = all.find((p) => cmdline(p).includes("--inspector-addr"));
  const proxy = all.find((p) => p !== worker);
  if (!worker || !proxy) throw new Error("wrangler dev's workerd processes were not found");
  return { worker, proxy };
}
const cpuMs = (pid) => (procStat(pid).ticks * 1000) / CLK_TCK;

const stateParent = arg("state", benchStateParent);
const stateDir = mkdtempSync(join(stateParent, "parley-costs-"));
const server = await startServer({ port: await freePort(), persistTo: stateDir, quiet: true });
try {
  const { worker: pid, proxy } = workerdPids();
  const rows = [];
  for (let round = 0; round < rounds; round++) {
    const cpu0 = cpuMs(pid);
    const t0 = Date.now();
    const res = await fetch(`${server.url}/dev/costs?n=${n}`);
    if (!res.ok) throw new Error(`/dev/costs: HTTP ${res.status} ${await res.text()}`);
    const { msPerCall } = await res.json();
    const busy = (cpuMs(pid) - cpu0) / (Date.now() - t0);
    if (round > 0) rows.push({ msPerCall, busy });
  }
  const names = Object.keys(rows[0].msPerCall);
  console.log(`# Local runtime costs (${n} calls per probe, ${rows.length} rounds after a warm-up)\n`);
  console.log(`Machine: ${cpus().length} CPUs (${cpus()[0].model.trim()}), Node ${process.version}; X_LOCAL_OBSERVABILITY=${process.env.X_LOCAL_OBSERVABILITY}; state in ${stateParent}\n`);
  console.log(`| operation | ${rows.map((_, i) => `round ${i + 1}`).join(" | ")} |`);
  console.log(`| --- | ${rows.map(() => "---:").join(" | ")} |`);
  for (const name of names) console.log(`| ${name} | ${rows.map((r) => `${r.msPerCall[name].toFixed(3)} ms`).join(" | ")} |`);
  console.log(`| workerd busy while the probes ran | ${rows.map((r) => `${Math.round(r.busy * 100)} %`).join(" | ")} |`);

  // A request from outside passes wrangler dev's proxy and its pipeline in the Worker's workerd
  // before the Worker sees it: each one's CPU in both processes, one request after another.
  const seeded = await fetch(`${server.url}/dev/seed-bench?agents=1`, { method: "POST" });
  if (!seeded.ok) throw new Error(`/dev/seed-bench: HTTP ${seeded.status}`);
  await seeded.arrayBuffer();
  const requests = {
    "GET /login (a page, no D1)": "/login",
    "GET /c/bench/GENERAL (a contact form: one D1 query)": "/c/bench/GENERAL",
    "GET /css/app.css (a static file, not the Worker)": "/css/app.css",
  };
  console.log(`\n# CPU per request from outside (${n} requests each, one after another)\n`);
  console.log("| request | Worker's workerd | wrangler dev's proxy |");
  console.log("| --- | ---: | ---: |");
  for (const [name, path] of Object.entries(requests)) {
    const get = async () => {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    };
    for (let i = 0; i < 20; i++) await get();
    const [w0, p0] = [cpuMs(pid), cpuMs(proxy)];
    for (let i = 0; i < n; i++) await get();
    console.log(`| ${name} | ${((cpuMs(pid) - w0) / n).toFixed(2)} ms | ${((cpuMs(proxy) - p0) / n).toFixed(2)} ms |`);
  }
} finally {
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
