import { Hono, type Context } from "hono";
import { openDb } from "../stores/db";
import { agentFormFor } from "../accounts/agents";
import { createAgent, getAgent, listAgents, setAdminTakesChats, updateAgent } from "../stores/agents";
import * as z from "zod";
import { createMiddleware } from "hono/factory";
import { FormError } from "../accounts/form-error";
import type { SessionUser } from "../accounts/sessions";
import type { AppEnv } from "../app-env";
import { merchantFor } from "../billing/connect";
import { closeAgentConsoles } from "../live/agent-consoles";
import { AppError, notFound } from "../http/errors";
import { entitlementUsage } from "../accounts/entitlement";
import { roomLimitReached } from "../accounts/plan-limits";
import { roomNameForm } from "../rooms/room-name";
import { countOpenRooms, createRoom, listRetiredRooms, moveRoomInList, renameRoom, reopenRoom, retireRoom, roomAgentIds } from "../stores/room-changes";
import { NewRoomPage, RenameRoomPage, RetireRoomPage, RoomLifecycleBar, type RoomChange } from "../../views/RoomLifecycle";
import { formValidator, refuseForm, sentText, type FormPage, type SentForm } from "../http/form-validation";
import { requireAdmin, requireUser } from "../http/session";
import { getCompany } from "../stores/companies";
import { heldMailCount, mailLog } from "../stores/outbox";
import { subscriptionOfCompany } from "../stores/plan-subscriptions";
import { planStanding } from "../accounts/subscription";
import { getRankedRoom, getRoom, listRooms, saveRoomSettings, type RankedRoomRow } from "../stores/rooms";
import { openAlertsUntil } from "../stores/free-alerts";
import { roomKey } from "../live/contracts";
import { roomObject } from "../live/stubs";
import { previewRoomPricing, roomSettingsForm, settingsValuesFromForm, settingsValuesFromRoom } from "../rooms/settings";
import { roomShareLinks } from "../rooms/share-links";
import { currencyOf } from "../billing/pricing-form";
import { AdminHome } from "../../views/AdminHome";
import { firstRunChecklist } from "../accounts/first-run";
import { firstRunFacts } from "../stores/first-run";
import { isRoomUsable, usableRoomIds } from "../rooms/usable-rooms";
import { reconnectWhereLocksChanged, usableRoomsNow } from "../live/room-locks";
import { AgentFormPage, AgentStaffPage, type AgentFormValues } from "../../views/AgentStaff";
import { MailLogPage } from "../../views/MailLog";
import { previewOf } from "../../views/PricingFields";
import { RoomPricingPreview, RoomSettingsPage } from "../../views/RoomSettings";

// requireUser has run, so the user is there.
const me = <E extends AppEnv>(c: Context<E>) => c.get("user") as SessionUser;

/** The agent form again, as sent: a new agent's, or an agent's being edited (`/agents/:id`). */
const agentAgain: FormPage<AppEnv> = async (c, sent, errors) => {
  const user = me(c);
  const rooms = (await listRooms(openDb(c.env.DB), user.companyId)).map((r) => r.room);
  return c.render(<AgentFormPage agentId={c.req.param("id")} values={agentValues(sent)} rooms={rooms} plan={user.plan} errors={errors} />);
};

function agentValues(sent: SentForm): AgentFormValues {
  const rooms = sent.roomIds;
  return {
    name: sentText(sent, "name"),
    email: sentText(sent, "email"),
    roomIds: Array.isArray(rooms) ? rooms.filter((r): r is string => typeof r === "string") : typeof rooms === "string" ? [rooms] : [],
    disabled: sent.disabled === "on",
    manualPaymentAllowed: sent.manualPaymentAllowed === "on",
  };
}

const moveForm = z.object({ direction: z.enum(["up", "down"]) });
const takesChatsForm = z.object({ takesChats: z.preprocess((v) => v === "on", z.boolean()) });
// The switch cannot be sent wrong (absent is off); the staff page again all the same.
const staffAgain: FormPage<AppEnv> = (c) => c.redirect("/admin/agents", 303);

// A password may not be built from the admin's company's names either.
const agentForm = formValidator((c) => agentFormFor(me(c)), agentAgain);

type RoomEnv = AppEnv & { Variables: { room: RankedRoomRow } };

/** The room in the URL, if it is the admin's company's: another company's is not found. */
const companyRoom = createMiddleware<RoomEnv, "/rooms/:roomId">(async (c, next) => {
  const room = await getRankedRoom(openDb(c.env.DB), me(c).companyId, c.req.param("roomId"));
  if (!room) throw notFound("chat room");
  if (room.retiredAt !== null) throw new AppError("gone", `${room.name} was retired: its settings can no longer be changed.`);
  c.set("room", room);
  await next();
});

/** A room's settings page, as stored or as typed (with its errors). */
async function settingsPage(
  c: Context<RoomEnv>,
  room: RankedRoomRow,
  values: ReturnType<typeof settingsValuesFromRoom>,
  extra: { saved?: boolean; changed?: RoomChange; errors?: Record<string, string> },
) {
  const user = me(c);
  const company = await getCompany(openDb(c.env.DB), user.companyId);
  return c.render(
    <RoomSettingsPage
      room={room}
      plan={user.plan}
      usable={isRoomUsable(user.plan, room.rank)}
      companyName={user.companyName}
      accountType={user.accountType}
      links={roomShareLinks(new URL(c.req.url).origin, user.companySlug, room.name)}
      values={values}
      pricingPreview={previewOf(previewRoomPricing(values))}
      paymentsBlocked={room.chargingMode !== "none" && !!company && !merchantFor(company)}
      {...extra}
      lifecycle={<RoomLifecycleBar room={room} changed={extra.changed} />}
    />,
  );
}

const newRoomAgain: FormPage<AppEnv> = (c, sent, errors) => c.render(<NewRoomPage name={sentText(sent, "name")} errors={errors} />);
const renameAgain: FormPage<RoomEnv> = (c, sent, errors) => c.render(<RenameRoomPage room={c.get("room")} name={sentText(sent, "name")} errors={errors} />);

/** The agents of a room whose name or existence changed reconnect, to serve it as it is now. */
async function reconnectRoomAgents(c: Context<RoomEnv>, agentIds: string[]): Promise<void> {
  const { companyId } = me(c);
  await Promise.all(agentIds.map((agentId) => closeAgentConsoles(c.env, { companyId, agentId }, null, "rooms-changed")));
}

const settingsAgain: FormPage<RoomEnv> = (c, sent, errors) => {
  const room = c.get("room");
  return settingsPage(c, room, settingsValuesFromForm(sent, settingsValuesFromRoom(room)), { errors });
};

export const adminRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAdmin)
  .get("/", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const [company, rooms, retiredRooms, heldMail] = await Promise.all([
      getCompany(db, user.companyId),
      listRooms(db, user.companyId),
      listRetiredRooms(db, user.companyId),
      heldMailCount(db, user.companyId),
    ]);
    if (!company) throw notFound("company");
    const origin = new URL(c.req.url).origin;
    const retired = retiredRooms.find((r) => r.name === c.req.query("retired"));
    // A failed renewal's grace period shows here too, where the admin looks first.
    const now = Date.now();
    const standing = planStanding(await subscriptionOfCompany(db, company), now);
    const usable = usableRoomIds(company.plan, rooms.map((r) => r.room));
    const firstRoom = rooms.find((r) => usable.has(r.room.id))?.room.name ?? "GENERAL";
    const checklist = firstRunChecklist(await firstRunFacts(db, company), `${origin}/c/${company.slug}/${firstRoom}`);
    return c.render(
      <AdminHome
        company={company}
        usage={entitlementUsage(company, now)}
        rooms={rooms}
        retiredRooms={retiredRooms}
        origin={origin}
        heldMail={heldMail}
        standing={standing}
        checklist={checklist}
        justRetired={retired}
        error={c.req.query("full") ? roomLimitReached(company.plan, rooms.length) : null}
      />,
    );
  })
  // The company's mail: what was sent, what failed and why, what the entitlement holds back.
  .get("/mail", async (c) => {
    const db = openDb(c.env.DB);
    const { companyId } = me(c);
    const [mails, held] = await Promise.all([mailLog(db, companyId), heldMailCount(db, companyId)]);
    return c.render(<MailLogPage mails={mails} held={held} />);
  })
  .get("/agents", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const [agents, rooms] = await Promise.all([listAgents(db, user.companyId), listRooms(db, user.companyId)]);
    return c.render(<AgentStaffPage agents={agents} rooms={rooms.map((r) => r.room)} plan={user.plan} companySlug={user.companySlug} origin={new URL(c.req.url).origin} admin={user} />);
  })
  // "I take chats too": the admin's own login becomes an agent's (a solo account always is one).
  .post("/takes-chats", formValidator(takesChatsForm, staffAgain), async (c) => {
    const user = me(c);
    if (user.accountType === "solo") throw new AppError("bad_request", "A solo account takes its own chats: you are its agent as well as its administrator.");
    const on = c.req.valid("form").takesChats;
    const changed = await setAdminTakesChats(openDb(c.env.DB), user, on);
    // Consoles left open stop ringing and reconnect, to be refused, once the admin no longer serves a room.
    if (changed && !on) await closeAgentConsoles(c.env, { companyId: user.companyId, agentId: user.id }, null, "rooms-changed");
    return c.redirect("/admin/agents", 303);
  })
  .get("/agents/new", async (c) => {
    const user = me(c);
    const rooms = await listRooms(openDb(c.env.DB), user.companyId);
    return c.render(<AgentFormPage values={{}} rooms={rooms.map((r) => r.room)} plan={user.plan} />);
  })
  .post("/agents", agentForm, async (c) => {
    const user = me(c);
    try {
      await createAgent(openDb(c.env.DB), user.companyId, user.id, c.req.valid("form"));
    } catch (err) {
      if (err instanceof FormError) return refuseForm(c, agentAgain, err.fields);
      throw err;
    }
    return c.redirect("/admin/agents", 303);
  })
  .get("/agents/:id", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const [agent, rooms] = await Promise.all([getAgent(db, user.companyId, c.req.param("id")), listRooms(db, user.companyId)]);
    return c.render(
      <AgentFormPage
        agentId={agent.id}
        values={{ name: agent.name, email: agent.email, roomIds: agent.roomIds, disabled: agent.disabled, manualPaymentAllowed: agent.manualPaymentAllowed }}
        rooms={rooms.map((r) => r.room)}
        plan={user.plan}
      />,
    );
  })
  .post(
    "/agents/:id",
    async (c, next) => {
      await getAgent(openDb(c.env.DB), me(c).companyId, c.req.param("id")); // 404 before reading a form for someone else's agent
      await next();
    },
    agentForm,
    async (c) => {
      const user = me(c);
      const agentId = c.req.param("id");
      const form = c.req.valid("form");
      try {
        const changed = await updateAgent(openDb(c.env.DB), user.companyId, user.id, agentId, form);
        // A disabled agent's consoles close now; new rooms reach open consoles by reconnecting.
        const why = form.disabled || (changed.includes("password") && agentId !== user.id) ? "signed-out" : changed.includes("rooms") ? "rooms-changed" : null;
        if (why) await closeAgentConsoles(c.env, { companyId: user.companyId, agentId }, null, why);
      } catch (err) {
        if (err instanceof FormError) return refuseForm(c, agentAgain, err.fields);
        throw err;
      }
      return c.redirect("/admin/agents", 303);
    },
  )
  // The In-app purchase section's price in words, refreshed while the admin types (no I/O).
  .get("/pricing-preview", (c) => c.html(<RoomPricingPreview preview={previewOf(previewRoomPricing(c.req.query()))} />))
  .get("/rooms/new", async (c) => {
    const user = me(c);
    const open = await countOpenRooms(openDb(c.env.DB), user.companyId);
    return c.render(<NewRoomPage limit={roomLimitReached(user.plan, open)} />);
  })
  .post("/rooms", formValidator(roomNameForm, newRoomAgain), async (c) => {
    const user = me(c);
    let id: string;
    try {
      id = await createRoom(openDb(c.env.DB), { id: user.companyId, plan: user.plan }, user.id, c.req.valid("form").name);
    } catch (err) {
      if (err instanceof FormError) return refuseForm(c, newRoomAgain, err.fields);
      throw err;
    }
    return c.redirect(`/admin/rooms/${id}?created=1`, 303);
  })
  .get("/rooms/:roomId", companyRoom, (c) => {
    const room = c.get("room");
    const changed = (["created", "renamed", "reopened"] as const).find((change) => c.req.query(change) === "1");
    return settingsPage(c, room, settingsValuesFromRoom(room), { saved: c.req.query("saved") === "1", changed });
  })
  .get("/rooms/:roomId/rename", companyRoom, (c) => c.render(<RenameRoomPage room={c.get("room")} />))
  .post("/rooms/:roomId/rename", companyRoom, formValidator(roomNameForm, renameAgain), async (c) => {
    const db = openDb(c.env.DB);
    const room = c.get("room");
    try {
      await renameRoom(db, me(c).id, room, c.req.valid("form").name);
    } catch (err) {
      if (err instanceof FormError) return refuseForm(c, renameAgain, err.fields);
      throw err;
    }
    await reconnectRoomAgents(c, await roomAgentIds(db, room.id));
    // Customers' email alerts moved with the room: its object under the new name must know of them.
    const renamed = roomKey(room.companyId, c.req.valid("form").name);
    const alertsUntil = await openAlertsUntil(db, renamed);
    if (alertsUntil) await roomObject(c.env, renamed).expectAlerts(alertsUntil);
    return c.redirect(`/admin/rooms/${room.id}?renamed=1`, 303);
  })
  .get("/rooms/:roomId/retire", companyRoom, (c) => c.render(<RetireRoomPage room={c.get("room")} />))
  .post("/rooms/:roomId/retire", companyRoom, async (c) => {
    const db = openDb(c.env.DB);
    const room = c.get("room");
    const company = { id: room.companyId, plan: me(c).plan };
    // Read before retiring, which takes the room from its agents; a locked room may open in its place.
    const [agentIds, usable] = await Promise.all([roomAgentIds(db, room.id), usableRoomsNow(db, company)]);
    try {
      await retireRoom(db, me(c).id, room);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      c.status(422);
      return c.render(<RetireRoomPage room={room} error={err.fields.form} />);
    }
    await Promise.all([reconnectRoomAgents(c, agentIds), reconnectWhereLocksChanged(c.env, db, company, usable)]);
    return c.redirect(`/admin?retired=${encodeURIComponent(room.name)}`, 303);
  })
  // Up or down the rooms list: the order in which the plan keeps rooms usable, when it locks some.
  .post("/rooms/:roomId/move", companyRoom, formValidator(moveForm, (c) => c.redirect("/admin#rooms", 303)), async (c) => {
    const db = openDb(c.env.DB);
    const room = c.get("room");
    const company = { id: room.companyId, plan: me(c).plan };
    const usable = await usableRoomsNow(db, company);
    if (await moveRoomInList(db, me(c).id, room, c.req.valid("form").direction)) await reconnectWhereLocksChanged(c.env, db, company, usable);
    return c.redirect(`/admin#room-${room.id}`, 303);
  })
  // A retired room of the company's (companyRoom refuses those): open again, to its settings.
  .post("/rooms/:roomId/reopen", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const [room, company] = await Promise.all([getRoom(db, user.companyId, c.req.param("roomId")), getCompany(db, user.companyId)]);
    if (!room || !company) throw notFound("chat room");
    if (room.retiredAt === null) return c.redirect(`/admin/rooms/${room.id}`, 303);
    try {
      await reopenRoom(db, company, user.id, room);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      // The plan has no room for it: the rooms page says so, where the admin can retire another.
      return c.redirect("/admin?full=1#retired-rooms", 303);
    }
    return c.redirect(`/admin/rooms/${room.id}?reopened=1`, 303);
  })
  // Another company's room is not found, before its form is even read. The plan decides whether
  // "nearest" may be chosen; money is read in the currency chosen in the form.
  .post(
    "/rooms/:roomId",
    companyRoom,
    formValidator((c, sent) => roomSettingsForm(me(c).plan, currencyOf(sent)), settingsAgain),
    async (c) => {
      const room = c.get("room");
      await saveRoomSettings(openDb(c.env.DB), me(c).id, room, c.req.valid("form"));
      return c.redirect(`/admin/rooms/${room.id}?saved=1`, 303);
    },
  );
