// Copies the browser builds of htmx, its WebSocket extension and Stimulus from node_modules into
// static/vendor/, where Workers Static Assets serve them. Runs before start, test and deploy, so
// the versions served are always the ones in package-lock.json; static/vendor/ is not committed.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "htmx-ext-ws/dist/ws.min.js": "htmx-ext-ws.min.js",
  "@hotwired/stimulus/dist/stimulus.js": "stimulus.js",
};
const out = join(root, "static", "vendor");
mkdirSync(out, { recursive: true });
for (const [from, to] of Object.entries(files)) copyFileSync(join(root, "node_modules", from), join(out, to));
