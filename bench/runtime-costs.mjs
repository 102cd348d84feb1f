// `npm run bench:costs`: what the local runtime (wrangler dev's workerd, one thread for the
// Worker, its Durable Objects and the local D1) charges for the operations a chat is made of.
// It starts its own wrangler dev (a free port, a throw-away state directory) and calls
// GET /dev/costs, which runs each probe `--n` times one after another inside the Worker; on an
// otherwise idle server the time is that thread's, and the workerd process's CPU (from /proc)
// over the same call says how much of it was work rather than waiting.
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

/** The workerd that runs the Worker: the one wrangler dev starts with an inspector, unlike its proxy. */
function workerPid() {
  const pid = descendants(process.pid).find((p) => cmdline(p).includes("workerd") && cmdline(p).includes("--inspector-addr"));
  if (!pid) throw new Error("the Worker's workerd process was not found");
  return pid;
}
const cpuMs = (pid) => (procStat(pid).ticks * 1000) / CLK_TCK;

const stateParent = arg("state", benchStateParent);
const stateDir = mkdtempSync(join(stateParent, "parley-costs-"));
const server = await startServer({ port: await freePort(), persistTo: stateDir, quiet: true });
try {
  const pid = workerPid();
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
} finally {
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
