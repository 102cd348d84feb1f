import { and, count, desc, eq, isNotNull, isNull, max, sql } from "drizzle-orm";
import type { Company } from "../accounts/company";
import { FormError } from "../accounts/form-error";
import { roomLimitReached } from "../accounts/plan-limits";
import { newId } from "../accounts/tokens";
import { agentProfiles, roomAgents, roomRenames, rooms } from "../db/schema";
import { GENERAL } from "../rooms/presets";
import type { Room } from "../rooms/room";
import { moveRoom } from "../rooms/usable-rooms";
import { roomKey } from "../live/contracts";
import { auditInsert } from "./audit";
import type { Db } from "./db";
import { inList } from "./in-list";
import { moveOpenAlerts } from "./free-alerts";
import { listRoomRanks } from "./rooms";

// An admin opens, renames, retires and reopens the company's rooms. A room is never deleted: its
// chats, transcripts and revenue point at it. Its old names lead to it (room_renames).

/** Any room of the company by this name, retired ones too (their names stay reserved for their 410 page). */
const roomNamed = (db: Db, companyId: string, name: string) =>
  db
    .select({ id: rooms.id, retiredAt: rooms.retiredAt })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), sql`lower(${rooms.name}) = lower(${name})`))
    .get();

async function refuseTaken(db: Db, companyId: string, name: string): Promise<void> {
  const taken = await roomNamed(db, companyId, name);
  if (!taken) return;
  throw new FormError({
    name: taken.retiredAt ? `A retired room is called ${name}; its link still tells customers it closed. Choose another name.` : `You already have a room called ${name}. Choose another name.`,
  });
}

/** The company's rooms that are not retired. */
export const countOpenRooms = async (db: Db, companyId: string): Promise<number> =>
  (await db.select({ n: count() }).from(rooms).where(and(eq(rooms.companyId, companyId), isNull(rooms.retiredAt))).get())?.n ?? 0;

/** The agents who serve a room, whose consoles must learn that its name or its existence changed. */
export const roomAgentIds = async (db: Db, roomId: string): Promise<string[]> =>
  (await db.select({ userId: roomAgents.userId }).from(roomAgents).where(eq(roomAgents.roomId, roomId))).map((r) => r.userId);

/** The agents who serve any of these rooms (a plan change can lock or open 199 at once), each once. */
export async function agentIdsOfRooms(db: Db, roomIds: string[]): Promise<string[]> {
  const found = await db.selectDistinct({ userId: roomAgents.userId }).from(roomAgents).where(inList(roomAgents.roomId, roomIds));
  return found.map((r) => r.userId);
}

/**
 * Moves a room up or down a place in the company's rooms list, the order in which its plan keeps
 * rooms usable (rooms/usable-rooms.ts). Returns whether it moved (the first or last room cannot).
 */
export async function moveRoomInList(db: Db, adminId: string, room: Room, direction: "up" | "down"): Promise<boolean> {
  const moves = moveRoom(await listRoomRanks(db, room.companyId), room.id, direction);
  if (!moves.length) return false;
  await db.batch([
    auditInsert(db, { companyId: room.companyId, userId: adminId, action: "room.moved", subject: room.id, detail: { name: room.name, direction } }),
    ...moves.map((m) =>
      db
        .update(rooms)
        .set({ position: m.position })
        .where(and(eq(rooms.id, m.id), eq(rooms.companyId, room.companyId))),
    ),
  ]);
  return true;
}

/** A link that named `name` now means this room, not the room that had it before. */
const forgetOldName = (db: Db, companyId: string, name: string) =>
  db.delete(roomRenames).where(and(eq(roomRenames.companyId, companyId), eq(roomRenames.oldName, name)));

/**
 * Opens a room with the company's defaults: every setting of its GENERAL room (the look, the
 * form, the pricing the admin already chose), or the schema's when there is none. It has no
 * agents until the admin assigns them. Returns the new room's id.
 */
export async function createRoom(db: Db, company: Pick<Company, "id" | "plan">, adminId: string, name: string): Promise<string> {
  const [open, general, last] = await Promise.all([
    countOpenRooms(db, company.id),
    db
      .select()
      .from(rooms)
      .where(and(eq(rooms.companyId, company.id), eq(rooms.name, GENERAL)))
      .get(),
    db.select({ position: max(rooms.position) }).from(rooms).where(eq(rooms.companyId, company.id)).get(),
  ]);
  const limit = roomLimitReached(company.plan, open);
  if (limit) throw new FormError({ form: limit });
  await refuseTaken(db, company.id, name);
  const id = newId();
  const defaults = general ? settingsOf(general) : {};
  try {
    await db.batch([
      db.insert(rooms).values({ ...defaults, id, companyId: company.id, name, position: (last?.position ?? 0) + 1 }),
      forgetOldName(db, company.id, name),
      auditInsert(db, { companyId: company.id, userId: adminId, action: "room.created", subject: id, detail: { name, from: general ? GENERAL : "defaults" } }),
    ]);
  } catch (err) {
    // Another admin's form took the name a moment before.
    if (String(err).includes("rooms.company_id, rooms.name")) throw new FormError({ name: `You already have a room called ${name}. Choose another name.` });
    throw err;
  }
  return id;
}

/** A room's settings without what makes it this room. */
function settingsOf(room: Room) {
  const { id, companyId, name, position, createdAt, retiredAt, ...settings } = room;
  return settings;
}

/** Renames a room; links to its old name keep leading to it. GENERAL keeps its name. */
export async function renameRoom(db: Db, adminId: string, room: Room, name: string): Promise<void> {
  if (room.name === GENERAL) throw new FormError({ name: "GENERAL keeps its name: it is the room every company has, and private rooms use it." });
  if (name === room.name) return;
  await refuseTaken(db, room.companyId, name);
  try {
    await db.batch([
      db
        .update(rooms)
        .set({ name })
        .where(and(eq(rooms.id, room.id), eq(rooms.companyId, room.companyId))),
      forgetOldName(db, room.companyId, name),
      moveOpenAlerts(db, roomKey(room.companyId, room.name), roomKey(room.companyId, name)),
      db
        .insert(roomRenames)
        .values({ companyId: room.companyId, oldName: room.name, roomId: room.id })
        .onConflictDoUpdate({ target: [roomRenames.companyId, roomRenames.oldName], set: { roomId: room.id, createdAt: Date.now() } }),
      auditInsert(db, { companyId: room.companyId, userId: adminId, action: "room.renamed", subject: room.id, detail: { from: room.name, to: name } }),
    ]);
  } catch (err) {
    if (String(err).includes("rooms.company_id, rooms.name")) throw new FormError({ name: `You already have a room called ${name}. Choose another name.` });
    throw err;
  }
}

/**
 * Retires a room: it leaves the lists and every agent's rooms, private rooms that used its
 * settings use GENERAL's, and its chats and revenue stay as they were. GENERAL cannot go.
 */
export async function retireRoom(db: Db, adminId: string, room: Room): Promise<void> {
  if (room.name === GENERAL) throw new FormError({ form: "GENERAL cannot be retired: it is the room every company has, and agents' private rooms fall back on it." });
  const general = await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.companyId, room.companyId), eq(rooms.name, GENERAL)))
    .get();
  await db.batch([
    db
      .update(rooms)
      .set({ retiredAt: Date.now() })
      .where(and(eq(rooms.id, room.id), eq(rooms.companyId, room.companyId))),
    db.delete(roomAgents).where(eq(roomAgents.roomId, room.id)),
    db
      .update(agentProfiles)
      .set({ privateRoomId: general?.id ?? null })
      .where(eq(agentProfiles.privateRoomId, room.id)),
    auditInsert(db, { companyId: room.companyId, userId: adminId, action: "room.retired", subject: room.id, detail: { name: room.name } }),
  ]);
}

/** The company's retired rooms, latest first: the admin may reopen one. */
export const listRetiredRooms = (db: Db, companyId: string) =>
  db
    .select({ id: rooms.id, name: rooms.name, retiredAt: rooms.retiredAt })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), isNotNull(rooms.retiredAt)))
    .orderBy(desc(rooms.retiredAt));

/**
 * Opens a retired room again, as it was (its link works again, its settings are kept) if the
 * plan has room for it. Its agents were taken off it when it retired: the admin assigns them.
 */
export async function reopenRoom(db: Db, company: Pick<Company, "id" | "plan">, adminId: string, room: Room): Promise<void> {
  const limit = roomLimitReached(company.plan, await countOpenRooms(db, company.id));
  if (limit) throw new FormError({ form: limit });
  await db.batch([
    db
      .update(rooms)
      .set({ retiredAt: null })
      .where(and(eq(rooms.id, room.id), eq(rooms.companyId, company.id))),
    auditInsert(db, { companyId: company.id, userId: adminId, action: "room.reopened", subject: room.id, detail: { name: room.name } }),
  ]);
}

/** The room an old name of the company's now leads to, by its name today. */
export const renamedRoom = (db: Db, companyId: string, oldName: string) =>
  db
    .select({ name: rooms.name })
    .from(roomRenames)
    .innerJoin(rooms, eq(rooms.id, roomRenames.roomId))
    .where(and(eq(roomRenames.companyId, companyId), eq(roomRenames.oldName, oldName)))
    .get();
