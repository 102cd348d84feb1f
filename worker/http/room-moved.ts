import type { Context } from "hono";

/**
 * A link to a room's old name, sent on to its name today (308 keeps a form's POST a POST). An
 * hour's cache, not a permanent one: a new room may take the old name later.
 */
export function roomMoved(c: Context, path: string): Response {
  c.header("cache-control", "public, max-age=3600");
  return c.redirect(`${path}${new URL(c.req.url).search}`, 308);
}
