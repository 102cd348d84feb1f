import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`, no type declarations
import { freePort, root, startServer } from "../../scripts/dev-server.mjs";

// The real local server (wrangler dev: workerd, Miniflare's D1, Durable Objects and alarms on
// disk) for the fault suite, with a power switch: `crash` SIGKILLs its whole process group, and
// `restart` starts it again on the same state directory. The fake Stripe runs in this process, so
// it outlives every crash and can hold a request while the server dies.

type Around = (request: Request, answer: (request: Request) => Promise<Response>) => Promise<Response>;

export type FaultServer = {
  base: string;
  stripe: string;
  /** The mail catcher's inbox (maildev's web API), which lives on through every crash. */
  mail: string;
  /** Runs a cron trigger now, as Cloudflare would on its schedule. */
  cron(pattern: string): Promise<void>;
  crash(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Rows of a query on the server's local D1, read as a developer would (wrangler d1 execute). */
  d1<T = Record<string, unknown>>(sql: string): T[];
};

export async function startFaultServer(around: Around): Promise<FaultServer> {
  const persistTo = mkdtempSync(join(tmpdir(), "parley-faults-"));
  // A port of its own for wrangler's inspector too: by default it takes 9229, which another local
  // server (npm start, the end-to-end suite) may hold while this one restarts.
  const server = await startServer({ port: await freePort(), inspectorPort: await freePort(), persistTo, quiet: true, stripeAround: around, testScheduled: true });
  return {
    base: server.url,
    stripe: server.stripe,
    mail: server.mail,
    async cron(pattern) {
      const res = await fetch(`${server.url}/__scheduled?cron=${encodeURIComponent(pattern)}`);
      const body = await res.text();
      if (!res.ok) throw new Error(`cron ${pattern}: HTTP ${res.status} ${body}`);
    },
    crash: () => server.crash(),
    restart: () => server.restart(),
    async stop() {
      await server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
    d1<T>(sql: string): T[] {
      const out = execFileSync(join(root, "node_modules", ".bin", "wrangler"), ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, CI: "true" },
      });
      return (JSON.parse(out) as { results: T[] }[])[0]!.results;
    },
  };
}
