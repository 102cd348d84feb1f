import { Hono } from "hono";
import { openDb } from "../adapters/db";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";
import { GENERAL, isRoomUsable } from "../rooms/presets";
import { getCompanyBySlug, getPrivateRoom, getRoomByName } from "../rooms/queries";
import { ContactForm, type ContactMode } from "../../views/ContactForm";

const MODES = new Set<ContactMode>(["chat", "voice", "video"]);
const modeOf = (q: string | undefined) => (MODES.has(q as ContactMode) ? (q as ContactMode) : undefined);

// What a customer sees: a room's contact form, or an agent's private room (/c/{company}/~{handle}).
export const customerRoutes = new Hono<AppEnv>().get("/:company/:room", async (c) => {
  const db = openDb(c.env.DB);
  const company = await getCompanyBySlug(db, c.req.param("company"));
  if (!company) throw notFound("company");
  const name = c.req.param("room");
  const action = `/c/${company.slug}/${name}`;
  const mode = modeOf(c.req.query("mode"));
  if (name.startsWith("~")) {
    const found = await getPrivateRoom(db, company.id, name.slice(1));
    if (!found) throw notFound("agent");
    // A private room must not reopen a room the plan locks: it falls back to GENERAL's settings.
    const room = isRoomUsable(company.plan, found.room.name) ? found.room : await getRoomByName(db, company.id, GENERAL);
    if (!room) throw notFound("chat room");
    return c.render(<ContactForm room={room} companyName={company.name} action={action} agentName={found.agent.name} mode={mode} />);
  }
  const room = await getRoomByName(db, company.id, name);
  if (!room) throw notFound("chat room");
  if (!isRoomUsable(company.plan, room.name)) {
    throw new AppError("forbidden", `${company.name} does not take chats in this room at the moment. Try their GENERAL room.`);
  }
  return c.render(<ContactForm room={room} companyName={company.name} action={action} mode={mode} />);
});
