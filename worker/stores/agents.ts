import { and, asc, eq, inArray, isNotNull, isNull, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { agentChanges, emailTaken, refusedEdit, type AgentInput, type AgentRow } from "../accounts/agents";
import { FormError } from "../accounts/form-error";
import { hashPassword } from "../accounts/password";
import { newId } from "../accounts/tokens";
import { handleFrom } from "../accounts/validation";
import { agentProfiles, roomAgents, rooms, users } from "../db/schema";
import { AppError, notFound } from "../http/errors";
import { GENERAL } from "../rooms/presets";
import { usableRoomIds } from "../rooms/usable-rooms";
import type { Plan } from "../accounts/company";
import { auditInsert } from "./audit";
import { inList, insertGroups } from "./in-list";
import type { Db } from "./db";
import { listRoomRanks } from "./rooms";
import { deleteUserSessions } from "./sessions";

// A company's agents: users with their profile's manual-payment grant and the rooms they serve;
// the colleagues a chat's agent may invite, and who takes WhatsApp chats.

/** The company's agents with the rooms (hotlines) each serves. */
export async function listAgents(db: Db, companyId: string): Promise<AgentRow[]> {
  const people = await db
    .select({ user: users, manualPaymentAllowed: agentProfiles.manualPaymentAllowed })
    .from(users)
    .leftJoin(agentProfiles, eq(agentProfiles.userId, users.id))
    .where(and(eq(users.companyId, companyId), eq(users.isAgent, true)))
    .orderBy(asc(users.name));
  if (!people.length) return [];
  const served = await db
    .select({ userId: roomAgents.userId, roomId: roomAgents.roomId })
    .from(roomAgents)
    .innerJoin(users, eq(users.id, roomAgents.userId))
    .where(and(eq(users.companyId, companyId), eq(users.isAgent, true)));
  const roomsOf = new Map<string, string[]>();
  for (const { userId, roomId } of served) {
    const ids = roomsOf.get(userId);
    if (ids) ids.push(roomId);
    else roomsOf.set(userId, [roomId]);
  }
  return people.map(({ user: p, manualPaymentAllowed }) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    handle: p.handle,
    isAdmin: p.isAdmin,
    disabled: p.disabled,
    manualPaymentAllowed: manualPaymentAllowed ?? false,
    roomIds: roomsOf.get(p.id) ?? [],
  }));
}

export async function getAgent(db: Db, companyId: string, agentId: string): Promise<AgentRow> {
  const agent = (await listAgents(db, companyId)).find((a) => a.id === agentId);
  if (!agent) throw notFound("agent");
  return agent;
}

/** The statements that make `userId` serve these rooms (an Enterprise company has up to 200). */
const servingRooms = (db: Db, userId: string, roomIds: string[]) =>
  insertGroups(roomIds, 2).map((group) => db.insert(roomAgents).values(group.map((roomId) => ({ roomId, userId }))));

/** Refuses room ids that are not this company's: a forged form changes nothing. */
async function checkRooms(db: Db, companyId: string, roomIds: string[]): Promise<void> {
  if (!roomIds.length) return;
  const own = await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), inList(rooms.id, roomIds), isNull(rooms.retiredAt)));
  if (own.length !== new Set(roomIds).size) throw new AppError("forbidden", "One of those rooms does not belong to your company.");
}

// Handles stay fixed after creation: a private room's link must keep working after a rename.
async function uniqueHandle(db: Db, companyId: string, name: string): Promise<string> {
  const base = handleFrom(name);
  const taken = new Set(
    (await db.select({ handle: users.handle }).from(users).where(eq(users.companyId, companyId))).map((u) => u.handle),
  );
  let handle = base;
  for (let n = 2; taken.has(handle); n++) handle = `${base}-${n}`;
  return handle;
}

export async function createAgent(db: Db, companyId: string, adminId: string, input: AgentInput): Promise<string> {
  if (!input.password) throw new FormError({ password: "Set a first password for the agent." });
  await checkRooms(db, companyId, input.roomIds);
  if (await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) throw emailTaken();
  const general = await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), eq(rooms.name, GENERAL)))
    .get();
  const id = newId();
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db.insert(users).values({
      id,
      companyId,
      email: input.email,
      name: input.name,
      handle: await uniqueHandle(db, companyId, input.name),
      passwordHash: await hashPassword(input.password),
      isAgent: true,
      disabled: input.disabled,
    }),
    db.insert(agentProfiles).values({ userId: id, privateRoomId: general?.id ?? null, manualPaymentAllowed: input.manualPaymentAllowed ?? false }),
    auditInsert(db, { companyId, userId: adminId, action: "agent.created", subject: id, detail: { manualPaymentAllowed: input.manualPaymentAllowed ?? false } }),
  ];
  statements.push(...servingRooms(db, id, input.roomIds));
  try {
    await db.batch(statements);
  } catch (err) {
    if (String(err).includes("users.email")) throw emailTaken();
    throw err;
  }
  return id;
}

/** Saves the admin's edit of an agent; returns what changed (as audited). */
export async function updateAgent(db: Db, companyId: string, adminId: string, agentId: string, input: AgentInput): Promise<string[]> {
  const current = await getAgent(db, companyId, agentId);
  await checkRooms(db, companyId, input.roomIds);
  if (input.email !== current.email && (await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get())) {
    throw emailTaken();
  }
  const refused = refusedEdit(adminId, agentId, input);
  if (refused) throw refused;
  const manualPaymentAllowed = input.manualPaymentAllowed ?? current.manualPaymentAllowed;
  const changed = agentChanges(current, input, manualPaymentAllowed);
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db
      .update(users)
      .set({
        name: input.name,
        email: input.email,
        disabled: input.disabled,
        ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
      })
      .where(and(eq(users.id, agentId), eq(users.companyId, companyId))),
    db.delete(roomAgents).where(eq(roomAgents.userId, agentId)),
    // An agent added before profiles existed may have no row yet.
    db
      .insert(agentProfiles)
      .values({ userId: agentId, manualPaymentAllowed })
      .onConflictDoUpdate({ target: agentProfiles.userId, set: { manualPaymentAllowed } }),
    auditInsert(db, {
      companyId,
      userId: adminId,
      action: input.disabled && !current.disabled ? "agent.disabled" : "agent.updated",
      subject: agentId,
      detail: { changed, ...(changed.includes("manualPaymentAllowed") ? { manualPaymentAllowed } : {}) },
    }),
  ];
  statements.push(...servingRooms(db, agentId, input.roomIds));
  await db.batch(statements);
  // A disabled agent, or one whose password was reset, is signed out everywhere.
  if (input.disabled || (input.password && agentId !== adminId)) await deleteUserSessions(db, agentId);
  return changed;
}

/**
 * "I take chats too": the company's admin becomes one of its agents, or stops being one. Switched
 * on, an admin who serves no room yet serves every room the plan lets take chats (the hotlines are
 * then edited like any agent's); switched off, the hotlines go with it. Returns whether anything changed.
 */
export async function setAdminTakesChats(db: Db, admin: { id: string; companyId: string; plan: Plan }, on: boolean): Promise<boolean> {
  const current = await db
    .select({ isAgent: users.isAgent })
    .from(users)
    .where(and(eq(users.id, admin.id), eq(users.companyId, admin.companyId), eq(users.isAdmin, true)))
    .get();
  if (!current) throw notFound("administrator");
  if (current.isAgent === on) return false;
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db.update(users).set({ isAgent: on }).where(eq(users.id, admin.id)),
    auditInsert(db, { companyId: admin.companyId, userId: admin.id, action: on ? "admin.takes_chats" : "admin.stops_chats", subject: admin.id }),
  ];
  if (on) {
    const [served, companyRooms] = await Promise.all([
      db.select({ roomId: roomAgents.roomId }).from(roomAgents).where(eq(roomAgents.userId, admin.id)),
      listRoomRanks(db, admin.companyId),
    ]);
    const usable = [...usableRoomIds(admin.plan, companyRooms)];
    if (!served.length) statements.push(...servingRooms(db, admin.id, usable));
  } else {
    statements.push(db.delete(roomAgents).where(eq(roomAgents.userId, admin.id)));
  }
  await db.batch(statements);
  return true;
}

/** An agent of the company who may take chats now (enabled), by id; undefined otherwise. */
export const findColleague = (db: Db, companyId: string, agentId: string): Promise<{ agentId: string; name: string } | undefined> =>
  db
    .select({ agentId: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, agentId), eq(users.companyId, companyId), eq(users.isAgent, true), eq(users.disabled, false)))
    .get();

/** The company's other enabled agents, the first `limit` by name. */
export const listColleagues = (db: Db, agent: { id: string; companyId: string }, limit: number): Promise<{ id: string; name: string }[]> =>
  db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.companyId, agent.companyId), eq(users.isAgent, true), eq(users.disabled, false), ne(users.id, agent.id)))
    .orderBy(asc(users.name))
    .limit(limit);

/**
 * The company's enabled agents who take WhatsApp chats, with their numbers: the one agent of a
 * private room, or those who serve the room.
 */
export async function listWhatsappAgents(db: Db, companyId: string, among: { agentId: string } | { roomId: string }): Promise<{ agentId: string; number: string }[]> {
  const rows = await db
    .select({ agentId: users.id, number: agentProfiles.whatsappNumber })
    .from(users)
    .innerJoin(agentProfiles, eq(agentProfiles.userId, users.id))
    .where(
      and(
        eq(users.companyId, companyId),
        eq(users.disabled, false),
        eq(agentProfiles.whatsappEnabled, true),
        isNotNull(agentProfiles.whatsappNumber),
        "agentId" in among ? eq(users.id, among.agentId) : inArray(users.id, db.select({ id: roomAgents.userId }).from(roomAgents).where(eq(roomAgents.roomId, among.roomId))),
      ),
    );
  return rows.map((r) => ({ agentId: r.agentId, number: r.number! }));
}
