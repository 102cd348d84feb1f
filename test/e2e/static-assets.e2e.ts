import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";

const baseUrl = inject("baseUrl");
const staticDir = join(import.meta.dirname, "../../static");

/** A file somewhere under `dir`, as a path relative to static/. */
function someFile(dir: string): string {
  for (const name of readdirSync(join(staticDir, dir)).sort()) {
    const path = `${dir}/${name}`;
    return statSync(join(staticDir, path)).isDirectory() ? someFile(path) : path;
  }
  throw new Error(`static/${dir} is empty`);
}

// wrangler.toml sends every path to the Worker first except the static folders it lists: a new
// folder left out of that list would reach the Worker, which has no such route.
describe("static files and pages side by side", () => {
  for (const dir of readdirSync(staticDir).filter((d) => statSync(join(staticDir, d)).isDirectory())) {
    it(`serves static/${dir} as files`, async () => {
      const path = someFile(dir);
      const res = await fetch(`${baseUrl}/${path}`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(staticDir, path)))).toBe(true);
    });
  }

  it("serves the built bundles with a year's cache, as their names change with their content, and the others without", async () => {
    const built = await fetch(`${baseUrl}/${someFile("build")}`);
    expect(built.status).toBe(200);
    expect(built.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const source = await fetch(`${baseUrl}/${someFile("controllers")}`);
    expect(source.headers.get("cache-control")).not.toContain("immutable");
    expect((await fetch(`${baseUrl}/_headers`)).status).not.toBe(200);
  });

  it("serves pages and a missing page from the Worker", async () => {
    const login = await fetch(`${baseUrl}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Sign in");
    const missing = await fetch(`${baseUrl}/no-such-page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("text/html");
  });
});
