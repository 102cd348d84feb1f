import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { pageAssets } from "../http/page-assets";

// The agent console as an installable web app: its manifest, and its service worker served from
// the origin's root (a worker's scope can be no wider than its own folder) to control /agent.

/** The console's colours (static/css/app.css --brand): the installed app's title bar and splash. */
const THEME = "#4f46e5";

const MANIFEST = JSON.stringify({
  name: "Parley agent console",
  short_name: "Parley",
  description: "Answer your customers' chats, calls and video calls.",
  id: "/agent",
  start_url: "/agent",
  scope: "/agent",
  display: "standalone",
  theme_color: THEME,
  background_color: "#ffffff",
  icons: [
    { src: "/icons/parley.svg", sizes: "any", type: "image/svg+xml" },
    { src: "/icons/parley-192.png", sizes: "192x192", type: "image/png" },
    { src: "/icons/parley-512.png", sizes: "512x512", type: "image/png" },
    { src: "/icons/parley-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
  ],
});

/** What the console's service worker keeps: the console's built files, named by their content, and the icon. */
const staff = pageAssets("staff");
const SHELL = [
  `const SHELL = ${JSON.stringify(`parley-shell ${staff.script} ${staff.css}`)};`,
  `const SHELL_FILES = ${JSON.stringify([staff.css, staff.script, ...staff.preload, "/icons/parley.svg"])};`,
  "",
].join("\n");

export const appShellRoutes = new Hono<AppEnv>()
  .get("/manifest.webmanifest", (c) => c.body(MANIFEST, 200, { "content-type": "application/manifest+json", "cache-control": "public, max-age=3600" }))
  // The file is static/sw.js, after this release's shell; asked for again on every visit, so a new
  // version takes over at once.
  .get("/sw.js", async (c) => {
    const file = await c.env.ASSETS.fetch(new URL("/sw.js", c.req.url));
    if (!file.ok) return c.notFound();
    return c.body(SHELL + (await file.text()), 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" });
  });
