import { describe, expect, it } from "vitest";
import { Browser } from "./client";
import { team } from "./live";

// The agent console as an installable web app: its manifest, its service worker, and the
// Content-Security-Policy that lets pages use both (and nothing more).

const directive = (res: Response, name: string) =>
  res.headers
    .get("content-security-policy")!
    .split("; ")
    .find((d) => d.startsWith(`${name} `))
    ?.split(" ")
    .slice(1);

describe("the installable console", () => {
  it("has a manifest that opens the console standalone, with icons that exist", async () => {
    const browser = new Browser();
    const res = await browser.get("/manifest.webmanifest");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/manifest+json");
    const manifest = (await res.json()) as { name: string; start_url: string; display: string; theme_color: string; icons: { src: string; sizes: string }[] };
    expect(manifest).toMatchObject({ name: "Parley agent console", start_url: "/agent", display: "standalone", theme_color: "#4f46e5" });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  });

  it("serves the service worker from the root, never from a stale cache, under a strict policy", async () => {
    const res = await new Browser().get("/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/javascript");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(directive(res, "default-src")).toEqual(["'self'"]);
    expect(await res.text()).toContain('addEventListener("push"');
  });

  it("has the service worker keep the console's own scripts and styles of this release", async () => {
    const { agents: [alice] } = await team("shell-co", ["Sol Shell"]);
    const html = await (await alice.browser.get("/agent")).text();
    const shell = [...html.matchAll(/<(?:link rel="stylesheet" href|script type="module" src|link rel="modulepreload" href)="([^"]+)"/g)].map((m) => m[1]);
    expect(shell.length).toBeGreaterThanOrEqual(2);
    const sw = await (await new Browser().get("/sw.js")).text();
    const kept = JSON.parse(sw.match(/^const SHELL_FILES = (.*);$/m)![1]!) as string[];
    expect(kept).toEqual([...shell, "/icons/parley.svg"]);
    expect(sw.match(/^const SHELL = "parley-shell [^"]+";$/m)).not.toBeNull();
  });

  it("links the manifest from the console and the profile, and their policy allows the worker and manifest from this origin only", async () => {
    const { agents: [alice] } = await team("app-co", ["Alice Martin"]);
    for (const path of ["/agent", "/agent/profile"]) {
      const res = await alice.browser.get(path);
      const html = await res.text();
      expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
      expect(html).toContain('data-controller="push"');
      expect(directive(res, "worker-src")).toEqual(["'self'"]);
      expect(directive(res, "manifest-src")).toEqual(["'self'"]);
      expect(directive(res, "script-src")).not.toContain("'unsafe-inline'");
    }
    expect(await (await alice.browser.get("/agent")).text()).toContain('data-controller="console connection app"');
  });
});
