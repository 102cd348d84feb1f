import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM script shared with `npm start`, no type declarations
import { freePort, startServer } from "../../scripts/dev-server.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The local mail catcher's web inbox (maildev), which every mail the server sends reaches. */
    mailUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  const server = await startServer({ port: await freePort(), persistTo, quiet: true });
  project.provide("baseUrl", server.url);
  project.provide("mailUrl", server.mail);
  return async () => {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
