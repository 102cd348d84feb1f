// Builds the pages' scripts and styles into static/build/ (not committed), where Workers Static
// Assets serve them with a year's cache (static/_headers): one bundle per audience, minified and
// named by a hash of its content, so a new release is new names. The customer's pages
// (static/controllers/customer.js) and the staff's (static/controllers/staff.js) each get an
// entry script, the code it shares with its lazily loaded controllers in a chunk, and those
// controllers in chunks of their own. The staff get the whole stylesheet; customers two cuts of
// it: what the contact form and the waiting screen show, and the rest of their pages' (a
// connected chat's calls, payments, ratings; the card pages), which the chat page fetches at idle
// priority and applies when the chat connects (views/CustomerChat.tsx). The names go to
// worker/http/page-assets.generated.json (not committed), which the Worker reads
// (worker/http/page-assets.ts).
//
// wrangler.toml's [build] runs `node scripts/build-assets.mjs` before `wrangler dev` and
// `wrangler deploy`; `npm run typecheck` and vitest.config.ts run it too (the Workers pool does
// not run [build]).
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const staticDir = join(root, "static");
const outdir = join(staticDir, "build");
const MANIFEST = join(root, "worker", "http", "page-assets.generated.json");

const AUDIENCES = ["customer", "staff"];

/** The URL path a built file is served at. */
const urlOf = (file) => `/${relative(staticDir, join(root, file)).split("\\").join("/")}`;

/**
 * htmx as its authors minified it (htmx.min.js, ~1.5 KB gzip smaller than esbuild's minification
 * of its ES module), made a module: every import of "htmx.org" (ours, the WebSocket extension's) gets it.
 */
const htmxMinified = {
  name: "htmx-minified",
  setup(build) {
    build.onResolve({ filter: /^htmx\.org$/ }, () => ({ path: join(root, "node_modules", "htmx.org", "dist", "htmx.min.js") }));
    build.onLoad({ filter: /htmx\.min\.js$/ }, (args) => ({ contents: `${readFileSync(args.path, "utf8")}\nexport default htmx;\n`, loader: "js" }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  outdir,
  write: true,
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
};

async function buildScripts(audience) {
  const { metafile } = await build({
    ...common,
    entryPoints: { [audience]: `static/controllers/${audience}.js` },
    format: "esm",
    splitting: true,
    target: ["es2022"],
    entryNames: "[name]-[hash]",
    chunkNames: `${audience}-chunk-[hash]`,
    plugins: [htmxMinified],
  });
  const [file, output] = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === `static/controllers/${audience}.js`);
  return { files: Object.keys(metafile.outputs), script: urlOf(file), preload: output.imports.filter((i) => i.kind === "import-statement").map((i) => urlOf(i.path)) };
}

const STAFF_ONLY = /\/\* staff-only \*\/[\s\S]*?\/\* end staff-only \*\//g;
const CHAT_ONLY = /\/\* chat-only \*\/([\s\S]*?)\/\* end chat-only \*\//g;

/**
 * app.css cut for customers (parts marked in it with comments): `form`, what the contact form and
 * the waiting screen show, without the staff-only and chat-only parts; `chat`, only the chat-only
 * parts (a connected chat's calls, payments and ratings, the card pages), after `form` on a page.
 */
const customerStyles = (part) => ({
  name: `customer-${part}-styles`,
  setup(build) {
    build.onLoad({ filter: /app\.css$/ }, (args) => {
      const css = readFileSync(args.path, "utf8").replace(STAFF_ONLY, "");
      return { contents: part === "form" ? css.replace(CHAT_ONLY, "") : [...css.matchAll(CHAT_ONLY)].map((m) => m[1]).join("\n"), loader: "css" };
    });
  },
});

/** A stylesheet named `name` built from app.css, whole or cut by `plugins`. */
async function buildStyles(name, plugins = []) {
  const { metafile } = await build({
    ...common,
    entryPoints: { [name]: "static/css/app.css" },
    entryNames: "[name]-[hash]",
    plugins,
  });
  const files = Object.keys(metafile.outputs);
  return { files, css: urlOf(files.find((f) => f.endsWith(".css"))) };
}

/** The audience's stylesheets: the staff's whole, the customers' in two (customerStyles). */
const STYLES = {
  customer: async () => {
    const [form, chat] = await Promise.all([buildStyles("customer", [customerStyles("form")]), buildStyles("customer-chat", [customerStyles("chat")])]);
    return { files: [...form.files, ...chat.files], css: form.css, chatCss: chat.css };
  },
  staff: () => buildStyles("staff"),
};

/** Builds every audience's files, removes the previous build's, and writes the manifest. */
export async function buildAssets() {
  mkdirSync(outdir, { recursive: true });
  const built = new Set();
  const manifest = {};
  for (const audience of AUDIENCES) {
    const { files: styleFiles, ...styles } = await STYLES[audience]();
    const { files, script, preload } = await buildScripts(audience);
    for (const f of [...styleFiles, ...files]) built.add(join(root, f));
    manifest[audience] = { ...styles, script, preload };
  }
  // Names carry their content's hash, so a file not built now belongs to an earlier release.
  for (const name of readdirSync(outdir)) if (!built.has(join(outdir, name))) rmSync(join(outdir, name), { recursive: true, force: true });
  // Written only when it changed (wrangler dev reloads the Worker when it does), and renamed into
  // place, so a Worker reloading meanwhile never reads half a file.
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (!existsSync(MANIFEST) || readFileSync(MANIFEST, "utf8") !== json) {
    writeFileSync(`${MANIFEST}.${process.pid}`, json);
    renameSync(`${MANIFEST}.${process.pid}`, MANIFEST);
  }
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildAssets();
