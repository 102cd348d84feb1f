import { Hono } from "hono";
import { openDb } from "../stores/db";
import type { AppEnv } from "../app-env";
import { embedScript } from "../embed/loader";
import { AppError, notFound } from "../http/errors";
import { roomMoved } from "../http/room-moved";
import { isRoomUsable } from "../rooms/usable-rooms";
import { renamedRoom } from "../stores/room-changes";
import { getCompanyRoom, noteEmbedOrigin } from "../stores/rooms";
import { embeddingOrigin } from "../embed/embedder";
import { offersEmail } from "../rooms/contact-form";

const OFFLINE_WHISPER = "Questions? Leave us a message and we will answer by email.";

// <script src="/embed/{company}/{room}.js" async></script> on any website.
export const embedRoutes = new Hono<AppEnv>().get("/:company/:file{[^/]+\\.js}", async (c) => {
  const db = openDb(c.env.DB);
  const found = await getCompanyRoom(db, c.req.param("company"), c.req.param("file").slice(0, -3));
  const { company, room, rank } = found ?? { company: null, room: null, rank: 0 };
  if (company && !room) {
    // A renamed room's snippets on websites keep working.
    const renamed = await renamedRoom(db, company.id, c.req.param("file").slice(0, -3));
    if (renamed) return roomMoved(c, `/embed/${company.slug}/${renamed.name}.js`);
  }
  if (company && room?.retiredAt != null) throw new AppError("gone", `${company.name} retired this chat room.`);
  if (!company || !room || !isRoomUsable(company.plan, rank)) throw notFound("chat room");
  const origin = new URL(c.req.url).origin;
  // The checklist's "embedded on your site": recorded once, after the answer, never delaying it.
  const embedder = room.embedOrigin ? null : embeddingOrigin({ origin: c.req.header("origin"), referer: c.req.header("referer") }, origin);
  if (embedder) c.executionCtx.waitUntil(noteEmbedOrigin(db, room.id, embedder).catch((err: unknown) => console.error("embed origin not noted", room.id, err)));
  const script = embedScript({
    url: `${origin}/c/${company.slug}/${room.name}`,
    theme: room.theme,
    position: room.embedPosition,
    popup: room.embedPopup,
    whisper: room.embedWhisperText,
    // Nobody online: the contact form still takes an email message when the room offers one.
    offlineWhisper: offersEmail(room) ? OFFLINE_WHISPER : "",
    statsUrl: `${origin}/api/stats/${company.slug}/${room.name}`,
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
