import { Hono, type Context } from "hono";
import { openDb } from "../stores/db";
import { agentFormFor } from "../accounts/agents";
import { createAgent, getAgent, listAgents, updateAgent } from "../stores/agents";
import { FormError } from "../accounts/form-error";
import type { SessionUser } from "../accounts/sessions";
import { fieldErrors } from "../accounts/validation";
import type { AppEnv } from "../app-env";
import { merchantFor } from "../billing/connect";
import { closeAgentConsoles } from "../live/agent-consoles";
import { notFound } from "../http/errors";
import { requireAdmin, requireUser } from "../http/session";
import { getCompany } from "../stores/companies";
import { getRoom, listRooms, saveRoomSettings } from "../stores/rooms";
import type { Room } from "../rooms/room";
import { parseRoomSettings, previewRoomPricing, settingsValuesFromForm, settingsValuesFromRoom } from "../rooms/settings";
import { AdminHome } from "../../views/AdminHome";
import { AgentFormPage, AgentStaffPage, type AgentFormValues } from "../../views/AgentStaff";
import { previewOf } from "../../views/PricingFields";
import { RoomPricingPreview, RoomSettingsPage } from "../../views/RoomSettings";

// requireUser has run, so the user is there.
const me = (c: Context<AppEnv>) => c.get("user") as SessionUser;

async function formValues(c: Context<AppEnv>): Promise<{ raw: Record<string, unknown>; values: AgentFormValues }> {
  const raw = await c.req.parseBody({ all: true });
  const text = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);
  const rooms = raw.roomIds;
  return {
    raw,
    values: {
      name: text("name"),
      email: text("email"),
      roomIds: Array.isArray(rooms) ? rooms.filter((r): r is string => typeof r === "string") : typeof rooms === "string" ? [rooms] : [],
      disabled: raw.disabled === "on",
      manualPaymentAllowed: raw.manualPaymentAllowed === "on",
    },
  };
}

/** A room's settings page, as stored or as typed (with its errors). */
async function settingsPage(
  c: Context<AppEnv>,
  room: Room,
  values: ReturnType<typeof settingsValuesFromRoom>,
  extra: { saved?: boolean; errors?: Record<string, string> },
) {
  const user = me(c);
  const company = await getCompany(openDb(c.env.DB), user.companyId);
  return c.render(
    <RoomSettingsPage
      room={room}
      plan={user.plan}
      companyName={user.companyName}
      accountType={user.accountType}
      contactUrl={`${new URL(c.req.url).origin}/c/${user.companySlug}/${room.name}`}
      values={values}
      pricingPreview={previewOf(previewRoomPricing(values))}
      paymentsBlocked={room.chargingMode !== "none" && !!company && !merchantFor(company)}
      {...extra}
    />,
  );
}

export const adminRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAdmin)
  .get("/", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const [company, rooms] = await Promise.all([getCompany(db, user.companyId), listRooms(db, user.companyId)]);
    if (!company) throw notFound("company");
    return c.render(<AdminHome company={company} rooms={rooms} origin={new URL(c.req.url).origin} />);
  })
  .get("/agents", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const [agents, rooms] = await Promise.all([listAgents(db, user.companyId), listRooms(db, user.companyId)]);
    return c.render(<AgentStaffPage agents={agents} rooms={rooms.map((r) => r.room)} plan={user.plan} companySlug={user.companySlug} />);
  })
  .get("/agents/new", async (c) => {
    const user = me(c);
    const rooms = await listRooms(openDb(c.env.DB), user.companyId);
    return c.render(<AgentFormPage values={{}} rooms={rooms.map((r) => r.room)} plan={user.plan} />);
  })
  .post("/agents", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const { raw, values } = await formValues(c);
    const parsed = await agentFormFor(user).safeParseAsync(raw);
    const rooms = (await listRooms(db, user.companyId)).map((r) => r.room);
    const again = (errors: Record<string, string>) => {
      c.status(422);
      return c.render(<AgentFormPage values={values} rooms={rooms} plan={user.plan} errors={errors} />);
    };
    if (!parsed.success) return again(fieldErrors(parsed.error));
    try {
      await createAgent(db, user.companyId, user.id, parsed.data);
    } catch (err) {
      if (err instanceof FormError) return again(err.fields);
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
  .post("/agents/:id", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const agentId = c.req.param("id");
    await getAgent(db, user.companyId, agentId); // 404 before reading a form for someone else's agent
    const { raw, values } = await formValues(c);
    const parsed = await agentFormFor(user).safeParseAsync(raw);
    const rooms = (await listRooms(db, user.companyId)).map((r) => r.room);
    const again = (errors: Record<string, string>) => {
      c.status(422);
      return c.render(<AgentFormPage agentId={agentId} values={values} rooms={rooms} plan={user.plan} errors={errors} />);
    };
    if (!parsed.success) return again(fieldErrors(parsed.error));
    try {
      const changed = await updateAgent(db, user.companyId, user.id, agentId, parsed.data);
      // A disabled agent's consoles close now; new rooms reach open consoles by reconnecting.
      const why = parsed.data.disabled || (changed.includes("password") && agentId !== user.id) ? "signed-out" : changed.includes("rooms") ? "rooms-changed" : null;
      if (why) await closeAgentConsoles(c.env, { companyId: user.companyId, agentId }, null, why);
    } catch (err) {
      if (err instanceof FormError) return again(err.fields);
      throw err;
    }
    return c.redirect("/admin/agents", 303);
  })
  // The In-app purchase section's price in words, refreshed while the admin types (no I/O).
  .get("/pricing-preview", (c) => c.html(<RoomPricingPreview preview={previewOf(previewRoomPricing(c.req.query()))} />))
  .get("/rooms/:roomId", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const room = await getRoom(db, user.companyId, c.req.param("roomId"));
    if (!room) throw notFound("chat room");
    return settingsPage(c, room, settingsValuesFromRoom(room), { saved: c.req.query("saved") === "1" });
  })
  .post("/rooms/:roomId", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    // Another company's room is not found, before its form is even read.
    const room = await getRoom(db, user.companyId, c.req.param("roomId"));
    if (!room) throw notFound("chat room");
    const raw = await c.req.parseBody();
    const parsed = parseRoomSettings(raw, user.plan);
    if (!parsed.success) {
      c.status(422);
      return settingsPage(c, room, settingsValuesFromForm(raw, settingsValuesFromRoom(room)), { errors: parsed.errors });
    }
    await saveRoomSettings(db, user.id, room, parsed.data);
    return c.redirect(`/admin/rooms/${room.id}?saved=1`, 303);
  });
