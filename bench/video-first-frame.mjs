// `node bench/video-first-frame.mjs [--runs=10]`: time from the agent's Answer to the first
// remote video frame on each side of a video chat, peer to peer on loopback (no Calls app).
// It starts its own `wrangler dev` (scripts/dev-server.mjs) with the demo seeded, and drives
// Debian's Chromium with its fake camera: the customer asks for a video chat, the agent presses
// Answer (t = 0), the video call starts by itself on both pages (a chat asked for by Video does),
// and each page notes when its remote <video> presents its first frame (requestVideoFrameCallback). Prints
// p50 and the spread per side. Light: two pages at a time, one chat per run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { freePort, startServer } from "../scripts/dev-server.mjs";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 10);
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

const persistTo = mkdtempSync(join(tmpdir(), "parley-bench-video-"));
const server = await startServer({ port: await freePort(), persistTo, quiet: true });
const launch = () => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: FLAGS });
let browser = await launch();

/**
 * Resolves with performance.timeOrigin + now() of the first frame the remote <video> presents.
 * The call panel may be swapped in again before the first frame: each new <video> is watched too.
 */
const firstFrame = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        let watched = null;
        let done = false;
        const watch = () => {
          if (done) return;
          const video = document.querySelector(".call-remote");
          if (video && video !== watched) {
            watched = video;
            video.requestVideoFrameCallback(() => {
              done = true;
              resolve(performance.timeOrigin + performance.now());
            });
          }
          setTimeout(watch, 5);
        };
        watch();
      }),
  );

const results = { customer: [], agent: [] };
let failed = 0;

async function signedInAgent() {
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${server.url}/login`);
  await agent.getByLabel("Email").fill("alice@demo.test");
  await agent.getByLabel("Password").fill("parley-demo");
  await agent.getByRole("button", { name: "Sign in" }).click();
  await agent.locator("#agent-status[data-status]").waitFor();
  // A failed run may have left its chat open: Alice hangs it up.
  agent.on("dialog", (dialog) => dialog.accept());
  for (const hangUp of await agent.locator(".chat-panel").getByRole("button", { name: "Hang up" }).all()) await hangUp.click();
  // After the last run's hang-up Alice is in "you hung up": she goes online again.
  if ((await agent.locator("#agent-status").getAttribute("data-status")) !== "WAITING_NEW_CALL") await agent.getByRole("button", { name: "Go online" }).click();
  await agent.locator("#agent-status[data-status='WAITING_NEW_CALL']").waitFor();
  return agent;
}

/** A run that has no frame after this long is reported as failed rather than waited on. */
const RUN_TIMEOUT_MS = 60_000;
const within = (promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS))]);

/** One chat: both pages fresh, so a page that crashed under load spoils only its own run. */
async function oneRun(run) {
  const agent = await signedInAgent();
  const customer = await (await browser.newContext()).newPage();
  try {
    await customer.goto(`${server.url}/c/demo/GENERAL?mode=video`);
    await customer.getByLabel("Your name").fill(`Bench ${run}`);
    await customer.getByRole("button", { name: "Video" }).click();
    const ring = agent.locator(".ring-card", { hasText: `Bench ${run}` });
    await ring.getByRole("button", { name: "Answer" }).waitFor();
    const frames = { customer: firstFrame(customer), agent: firstFrame(agent) };
    for (const f of Object.values(frames)) f.catch(() => {}); // reported where awaited
    const answeredAt = Date.now();
    await ring.getByRole("button", { name: "Answer" }).click();
    const times = { customer: (await within(frames.customer, "the customer's first frame")) - answeredAt, agent: (await within(frames.agent, "the agent's first frame")) - answeredAt };
    // The agent hangs up, so that Alice is free for the next run's chat.
    await agent.locator(".chat-panel").getByRole("button", { name: "Hang up" }).click();
    await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
    return times;
  } finally {
    await customer.context().close().catch(() => {});
    await agent.context().close().catch(() => {});
  }
}

try {
  for (let run = 1; run <= runs; run++) {
    try {
      const times = await oneRun(run);
      for (const side of ["customer", "agent"]) results[side].push(times[side]);
      console.log(`run ${run}: customer ${Math.round(times.customer)} ms, agent ${Math.round(times.agent)} ms`);
    } catch (error) {
      if (!browser.isConnected()) browser = await launch(); // Chromium died (a loaded machine): start again
      failed++;
      console.log(`run ${run}: failed (${error.message.split("\n")[0]})`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
if (failed) console.log(`${failed} of ${runs} runs failed`);

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
for (const side of ["customer", "agent"]) {
  const xs = results[side];
  console.log(`${side}: p50 ${Math.round(pct(xs, 50))} ms, min ${Math.round(Math.min(...xs))} ms, max ${Math.round(Math.max(...xs))} ms over ${xs.length} runs`);
}
