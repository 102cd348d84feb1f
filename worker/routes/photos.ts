import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { servedPhotoType } from "../agents/photo";
import { readPhoto } from "../adapters/photos";
import { notFound } from "../http/errors";

// Agents' uploaded photos, public as the profile page warns: customers' pages show them, so no
// session is read. Mounted at /photos, before sessions and CSRF. A name is random and new per
// upload (worker/agents/photo.ts): nothing lists them, and each may be cached for a year.

export const photoRoutes = new Hono<AppEnv>().get("/:name", async (c) => {
  const name = c.req.param("name");
  // The type comes from the name Parley gave the checked upload, never from what was uploaded.
  const type = servedPhotoType(name);
  if (!type) throw notFound("photo");
  const object = await readPhoto(c.env.FILES, name, c.req.header("if-none-match"));
  if (!object) throw notFound("photo");
  const headers = new Headers({
    "content-type": type,
    "cache-control": "public, max-age=31536000, immutable",
    etag: object.httpEtag,
    "x-content-type-options": "nosniff",
    // Opened on its own, an image is still never a document that runs anything.
    "content-security-policy": "default-src 'none'; sandbox",
  });
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  headers.set("content-length", String(object.size));
  return new Response(object.body, { headers });
});
