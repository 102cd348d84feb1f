import { Hono } from "hono";
import { openDb } from "../stores/db";
import type { AppEnv } from "../app-env";
import { embedScript } from "../embed/loader";
import { AppError, notFound } from "../http/errors";
import { roomMoved } from "../http/room-moved";
import { isRoomUsable } from "../rooms/presets";
import { renamedRoom } from "../stores/room-changes";
import { getCompanyRoom } from "../stores/rooms";

// <script src="/embed/{company}/{room}.js" async></script> on any website.
export const embedRoutes = new Hono<AppEnv>().get("/:company/:file{[^/]+\\.js}", async (c) => {
  const db = openDb(c.env.DB);
  const found = await getCompanyRoom(db, c.req.param("company"), c.req.param("file").slice(0, -3));
  const { company, room } = found ?? { company: null, room: null };
  if (company && !room) {
    // A renamed room's snippets on websites keep working.
    const renamed = await renamedRoom(db, company.id, c.req.param("file").slice(0, -3));
    if (renamed) return roomMoved(c, `/embed/${company.slug}/${renamed.name}.js`);
  }
  if (company && room?.retiredAt != null) throw new AppError("gone", `${company.name} retired this chat room.`);
  if (!company || !room || !isRoomUsable(company.plan, room.name)) throw notFound("chat room");
  const script = embedScript({
    url: `${new URL(c.req.url).origin}/c/${company.slug}/${room.name}`,
    theme: room.theme,
    position: room.embedPosition,
    popup: room.embedPopup,
    whisper: room.embedWhisperText,
    whisperDelayMs: room.embedWhisperDelaySeconds * 1000,
    label: `Chat with ${room.formCompanyName ?? company.name}`,
  });
  return c.body(script, 200, {
    "content-type": "text/javascript; charset=utf-8",
    // Settings changes reach websites within minutes; the edge and browsers keep it meanwhile.
    "cache-control": "public, max-age=300",
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
  });
});
