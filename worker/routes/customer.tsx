import { Hono, type Context } from "hono";
import * as z from "zod";
import { getCookie, setCookie } from "hono/cookie";
import { openDb, type Db } from "../stores/db";
import { countUnlessHeld } from "../stores/rate-counters";
import { createMiddleware } from "hono/factory";
import { randomToken } from "../accounts/tokens";
import type { AppEnv } from "../app-env";
import { roomKey } from "../live/contracts";
import { AppError, notFound } from "../http/errors";
import { formValidator, sentText, type FormPage } from "../http/form-validation";
import { POLICIES } from "../http/rate-limit";
import { secure } from "../http/session";
import { startChat } from "../live/start-chat";
import { contactFormSchema } from "../rooms/contact-form";
import { GENERAL } from "../rooms/presets";
import { isRoomUsable } from "../rooms/usable-rooms";
import type { Room } from "../rooms/room";
import { roomMoved } from "../http/room-moved";
import { renamedRoom } from "../stores/room-changes";
import { listWhatsappAgents } from "../stores/agents";
import { saveCustomerMessage } from "../stores/customer-requests";
import { enqueueWebhooks } from "../adapters/webhook-queue";
import { invitationTo } from "../stores/invitations";
import { enqueueMail } from "../adapters/mail-queue";
import { getCompanyRoom, getUsablePrivateRoom, isRoomStaffed } from "../stores/rooms";
import { ContactForm, type ContactMode, type ContactValues } from "../../views/ContactForm";
import { MessageSent } from "../../views/CustomerChat";
import { RoomRetiredPage } from "../../views/RoomRetired";
import { roomObject } from "../live/stubs";

const MODES = new Set<ContactMode>(["chat", "voice", "video"]);
const modeOf = (q: string | undefined) => (MODES.has(q as ContactMode) ? (q as ContactMode) : undefined);

export const VISITOR_COOKIE = "parley_visitor";
export const CHAT_COOKIE = "parley_chat";

/** A retired room's link: its own page for the form, a 410 for what follows from it. */
class RoomRetired extends AppError {
  constructor(
    readonly room: Room,
    readonly companyName: string,
    readonly companySlug: string,
  ) {
    super("gone", `${companyName} no longer takes chats in ${room.name}. You can still reach them through their GENERAL room.`);
  }
}

type Reached = {
  company: NonNullable<Awaited<ReturnType<typeof getCompanyRoom>>>["company"];
  room: Room;
  privateAgent: NonNullable<Awaited<ReturnType<typeof getUsablePrivateRoom>>>["agent"] | null;
};

/**
 * A room by its URL name, or an agent's private room (`~handle`), usable on the company's plan;
 * or, for a name the room had before a rename, the name it has now.
 */
async function resolveRoom(db: Db, companySlug: string, name: string): Promise<Reached | { movedTo: string }> {
  const found = await getCompanyRoom(db, companySlug, name);
  if (!found) throw notFound("company");
  const { company } = found;
  if (name.startsWith("~")) {
    const found = await getUsablePrivateRoom(db, company, name.slice(1));
    if (!found) throw notFound("agent");
    return { company, room: found.room, privateAgent: found.agent };
  }
  const room = found.room;
  if (!room) {
    const renamed = await renamedRoom(db, company.id, name);
    if (renamed) return { movedTo: renamed.name };
    // Room names are upper case: a link typed as /c/acme/sales means SALES.
    const upper = name.toUpperCase();
    if (upper !== name && (await getCompanyRoom(db, companySlug, upper))?.room) return { movedTo: upper };
    throw notFound("chat room");
  }
  if (room.retiredAt !== null) throw new RoomRetired(room, room.formCompanyName ?? company.name, company.slug);
  if (!isRoomUsable(company.plan, found.rank)) {
    throw new AppError("forbidden", `${company.name} does not take chats in this room at the moment. Try their GENERAL room.`);
  }
  return { company, room, privateAgent: null };
}

/** The same page under the room's name today: /c/{company}/{OLD}/… → /c/{company}/{NEW}/…. */
const moved = (c: Context, name: string) => roomMoved(c, c.req.path.replace(/^(\/c\/[^/]+\/)[^/]+/, (_, head: string) => `${head}${name}`));

type ContactEnv = AppEnv & { Variables: { reached: Reached } };

/**
 * The room the contact form was sent to, and the sender's address counted against floods. Side
 * by side, since each waits on D1: a new chat's ring waits for both.
 */
const contactedRoom = createMiddleware<ContactEnv, "/:company/:room">(async (c, next) => {
  const db = openDb(c.env.DB);
  const ipKey = { key: `contact-ip:${c.req.header("cf-connecting-ip") ?? "local"}`, policy: POLICIES.contactIp };
  const [reached, held] = await Promise.all([resolveRoom(db, c.req.param("company"), c.req.param("room")), countUnlessHeld(db, ipKey)]);
  if (held) throw new AppError("too_many_requests", `Too many requests from your network. Please try again in ${held.minutes} minutes.`);
  if ("movedTo" in reached) return moved(c, reached.movedTo);
  c.set("reached", reached);
  await next();
});

const contactAgain: FormPage<ContactEnv> = (c, sent, errors) => {
  const { company, room, privateAgent } = c.var.reached;
  const values: ContactValues = {};
  for (const k of ["name", "email", "phone", "message"] as const) values[k] = sentText(sent, k);
  const action = `/c/${company.slug}/${c.req.param("room")}`;
  return c.render(<ContactForm room={room} companyName={company.name} action={action} agentName={privateAgent?.name} values={values} errors={errors} invitation={sentText(sent, "invitation")} />);
};

/** The anonymous customer's long-lived id, for "same agent as last time". */
function visitorId<E extends AppEnv>(c: Context<E>): string {
  const existing = getCookie(c, VISITOR_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const id = randomToken(18);
  setCookie(c, VISITOR_COOKIE, id, { httpOnly: true, secure: secure(c), sameSite: "Lax", path: "/", maxAge: 400 * 24 * 3600 });
  return id;
}

const cfLocation = <E extends AppEnv>(c: Context<E>) => {
  const cf = c.req.raw.cf as { latitude?: string; longitude?: string } | undefined;
  const lat = Number(cf?.latitude);
  const lon = Number(cf?.longitude);
  return cf?.latitude && cf?.longitude && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;
};

// What a customer sees: a room's contact form, or an agent's private room (/c/{company}/~{handle}).
export const customerRoutes = new Hono<AppEnv>()
  .get("/:company/:room", async (c) => {
    const db = openDb(c.env.DB);
    let reached: Reached | { movedTo: string };
    try {
      reached = await resolveRoom(db, c.req.param("company"), c.req.param("room"));
    } catch (err) {
      if (!(err instanceof RoomRetired)) throw err;
      c.status(410);
      return c.render(<RoomRetiredPage room={err.room} companyName={err.companyName} generalHref={`/c/${err.companySlug}/${GENERAL}`} />);
    }
    if ("movedTo" in reached) return moved(c, reached.movedTo);
    const { company, room, privateAgent } = reached;
    const action = `/c/${company.slug}/${c.req.param("room")}`;
    // A private room's agent serves it by being there; a public room needs someone on its hotline.
    const unstaffed = !privateAgent && !(await isRoomStaffed(db, room.id));
    // A consultation invitation's link fills in the client's name and email, and its chat names it.
    const reference = z.uuid().safeParse(c.req.query("invitation"));
    const invitation = reference.success ? await invitationTo(db, reference.data, { companyId: company.id, roomId: room.id, privateAgentId: privateAgent?.id ?? null }) : undefined;
    return c.render(
      <ContactForm
        room={room}
        companyName={company.name}
        action={action}
        agentName={privateAgent?.name}
        mode={modeOf(c.req.query("mode"))}
        values={invitation ? { name: invitation.name, email: invitation.email } : undefined}
        invitation={invitation?.id}
        unstaffed={unstaffed}
      />,
    );
  })
  // WhatsApp: the agent whose turn it is, among those the room's WhatsApp assignment allows.
  .get("/:company/:room/whatsapp", async (c) => {
    const db = openDb(c.env.DB);
    const reached = await resolveRoom(db, c.req.param("company"), c.req.param("room"));
    if ("movedTo" in reached) return moved(c, reached.movedTo);
    const { company, room, privateAgent } = reached;
    const agents = await listWhatsappAgents(db, company.id, privateAgent ? { agentId: privateAgent.id } : { roomId: room.id });
    const key = roomKey(company.id, privateAgent ? `~${privateAgent.handle}` : room.name);
    const number = await roomObject(c.env, key).whatsappAgent(agents, { online: room.whatsappOnlineAgents, offline: room.whatsappOfflineAgents });
    // Named as the room's contact form names the company, not by the account behind it.
    if (!number) throw new AppError("unavailable", `No one at ${room.formCompanyName ?? company.name} is taking WhatsApp chats right now. Please use the chat or email instead.`);
    return c.redirect(`https://wa.me/${number}`, 302);
  })
  .post("/:company/:room", contactedRoom, formValidator((c) => contactFormSchema(c.var.reached.room), contactAgain), async (c) => {
    const db = openDb(c.env.DB);
    const { company, room, privateAgent } = c.var.reached;
    const contact = c.req.valid("form");
    if (contact.mode === "email") {
      const message = { companyId: company.id, roomId: room.id, privateAgentId: privateAgent?.id ?? null, name: contact.name ?? null, email: contact.email!, body: contact.message ?? null };
      const saved = await saveCustomerMessage(db, message, new URL(c.req.url).origin);
      await Promise.all([enqueueMail(c.env, saved.mails), enqueueWebhooks(c.env, saved.events)]);
      return c.render(<MessageSent companyName={room.formCompanyName ?? company.name} theme={room.theme} kind="message" />);
    }
    const { chatId, token } = await startChat(c.env, {
      company,
      room,
      privateAgent: privateAgent ? { id: privateAgent.id, handle: privateAgent.handle } : null,
      contact: { ...contact, mode: contact.mode },
      visitorId: visitorId(c),
      location: cfLocation(c),
    });
    setCookie(c, CHAT_COOKIE, token, { httpOnly: true, secure: secure(c), sameSite: "Lax", path: `/chats/${chatId}`, maxAge: 24 * 3600 });
    return c.redirect(`/chats/${chatId}`, 303);
  });
