import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { Company } from "../accounts/company";
import { agentProfiles, companies, roomAgents, rooms, users } from "../db/schema";
import { GENERAL } from "../rooms/presets";
import type { Room } from "../rooms/room";
import { isRoomUsable } from "../rooms/usable-rooms";
import { changedSettings, type RoomSettings } from "../rooms/settings";
import { auditInsert } from "./audit";
import { prepared, type Checked, type Db, type SameColumns } from "./db";

// A company's rooms (hotlines), with their settings and the agents who serve them.

// The rows these queries return are the domain's Room, column for column.
type RoomRow = Checked<SameColumns<Room, typeof rooms.$inferSelect>>;

/**
 * A room's rank: how many of its company's open rooms come before it in the rooms list's order
 * (worker/rooms/usable-rooms.ts, `compareRooms`), which decides whether the plan keeps it usable.
 * A count over the company's rooms through the (company_id, name) index, in the same query as the
 * room (no extra round trip on the contact form and ring): on SQLite 7 µs more for a company of 25
 * rooms, 55–100 µs for 200 (bench/room-rank.mjs, a busy machine). The outer table is named in full because drizzle
 * writes its columns unqualified, which SQLite would read as the inner table's.
 */
const roomRank = sql<number>`(select count(*) from rooms ahead where ahead.company_id = "rooms"."company_id" and ahead.retired_at is null
  and (ahead.name <> ${GENERAL}, ahead.position, ahead.created_at, ahead.id) < ("rooms"."name" <> ${GENERAL}, "rooms"."position", "rooms"."created_at", "rooms"."id"))`;

/** The rooms list's order (`compareRooms`). */
const roomOrder = [sql`${rooms.name} <> ${GENERAL}`, asc(rooms.position), asc(rooms.createdAt), asc(rooms.id)];

/**
 * The company's open rooms' ranks in one pass (a window over the rooms list's order): for lists of
 * rooms, where `roomRank`'s count per room would grow with the square of the rooms (8–21 ms against
 * 1.2–2 ms for 200 rooms: bench/room-rank.mjs).
 */
const rankedRooms = (db: Db, companyId: string) =>
  db
    .select({ id: rooms.id, rank: sql<number>`row_number() over (order by ${sql.join(roomOrder, sql`, `)}) - 1`.as("rank") })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), isNull(rooms.retiredAt)))
    .as("ranked");

/** A room as read with its rank, for the checks of whether the plan keeps it usable. */
export type RankedRoomRow = Room & { rank: number };

/** A company and, when it has one by that name, its room and the room's rank: one query, for the pages a customer opens. */
const companyRoomQuery = prepared((db) =>
  db
    .select({ company: companies, room: rooms, rank: roomRank })
    .from(companies)
    .leftJoin(rooms, and(eq(rooms.companyId, companies.id), eq(rooms.name, sql.placeholder("roomName"))))
    .where(eq(companies.slug, sql.placeholder("slug")))
    .prepare(),
);

export const getCompanyRoom = (db: Db, slug: string, roomName: string) => companyRoomQuery(db).get({ slug, roomName });

export const getRoomByName = (db: Db, companyId: string, name: string) =>
  db
    .select()
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), eq(rooms.name, name)))
    .get();

export const getRoom = (db: Db, companyId: string, id: string) =>
  db
    .select()
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), eq(rooms.id, id)))
    .get();

/** A room of the company with its rank (`roomRank`). */
export async function getRankedRoom(db: Db, companyId: string, id: string): Promise<RankedRoomRow | undefined> {
  const row = await db
    .select({ room: rooms, rank: roomRank })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), eq(rooms.id, id)))
    .get();
  return row && { ...row.room, rank: row.rank };
}

/** The company's open rooms as the plan's order needs them, for a check across all of them. */
export const listRoomRanks = (db: Db, companyId: string) =>
  db
    .select({ id: rooms.id, name: rooms.name, position: rooms.position, createdAt: rooms.createdAt })
    .from(rooms)
    .where(and(eq(rooms.companyId, companyId), isNull(rooms.retiredAt)));

/**
 * The company's open (not retired) rooms in their display order (GENERAL, then the admins' order), each with how many enabled agents serve it. The
 * counts are a grouped subquery joined to the rooms: in a correlated subquery drizzle wrote the
 * room's `id` unqualified, which SQLite read as the agent's, and every room showed 0 agents.
 */
export const listRooms = (db: Db, companyId: string) => {
  const served = db
    .select({ roomId: roomAgents.roomId, agentCount: count().as("agent_count") })
    .from(roomAgents)
    .innerJoin(users, and(eq(users.id, roomAgents.userId), eq(users.companyId, companyId), eq(users.disabled, false)))
    .groupBy(roomAgents.roomId)
    .as("served");
  return db
    .select({ room: rooms, agentCount: sql<number>`coalesce(${served.agentCount}, 0)` })
    .from(rooms)
    .leftJoin(served, eq(served.roomId, rooms.id))
    .where(and(eq(rooms.companyId, companyId), isNull(rooms.retiredAt)))
    .orderBy(...roomOrder);
};

/** Whether any enabled agent serves the room (its contact form promises no answer otherwise). */
export const isRoomStaffed = async (db: Db, roomId: string) =>
  !!(await db
    .select({ userId: roomAgents.userId })
    .from(roomAgents)
    .innerJoin(users, and(eq(users.id, roomAgents.userId), eq(users.disabled, false)))
    .where(eq(roomAgents.roomId, roomId))
    .limit(1)
    .get());

/** The company's rooms this agent serves, in their display order, each with its rank. */
export async function listServedRooms(db: Db, agent: { id: string; companyId: string }): Promise<RankedRoomRow[]> {
  const ranked = rankedRooms(db, agent.companyId);
  const served = await db
    .select({ room: rooms, rank: ranked.rank })
    .from(roomAgents)
    .innerJoin(rooms, eq(rooms.id, roomAgents.roomId))
    .innerJoin(ranked, eq(ranked.id, rooms.id))
    .where(and(eq(roomAgents.userId, agent.id), eq(rooms.companyId, agent.companyId), isNull(rooms.retiredAt)))
    .orderBy(sql`${ranked.rank}`);
  return served.map((s) => ({ ...s.room, rank: s.rank }));
}

/** An agent's private room: the agent, and the public room whose settings it uses. */
export async function getPrivateRoom(db: Db, companyId: string, handle: string) {
  const row = await db
    .select({ agent: users, profile: agentProfiles })
    .from(users)
    .innerJoin(agentProfiles, eq(agentProfiles.userId, users.id))
    .where(and(eq(users.companyId, companyId), eq(users.handle, handle), eq(users.isAgent, true), eq(users.disabled, false)))
    .get();
  if (!row?.profile.privateRoomId) return undefined;
  const room = await getRankedRoom(db, companyId, row.profile.privateRoomId);
  return room ? { agent: row.agent, profile: row.profile, room } : undefined;
}

/**
 * An agent's private room as its customers meet it: the settings are those of the room the agent
 * chose, or GENERAL's when the company's plan locks that room (a private room must not reopen it).
 */
export async function getUsablePrivateRoom(db: Db, company: Pick<Company, "id" | "plan">, handle: string) {
  const found = await getPrivateRoom(db, company.id, handle);
  if (!found || isRoomUsable(company.plan, found.room.rank)) return found;
  const general = await getRoomByName(db, company.id, GENERAL);
  return general ? { ...found, room: { ...general, rank: 0 } } : undefined;
}

/** The first website seen embedding the room; later ones leave it as it is. */
export const noteEmbedOrigin = (db: Db, roomId: string, origin: string) =>
  db
    .update(rooms)
    .set({ embedOrigin: origin })
    .where(and(eq(rooms.id, roomId), isNull(rooms.embedOrigin)));

/** Saves a room's settings and notes who changed which ones; the company check is in the WHERE. */
export async function saveRoomSettings(db: Db, adminId: string, room: Room, settings: RoomSettings): Promise<void> {
  const changed = changedSettings(room, settings);
  if (!changed.length) return;
  await db.batch([
    db
      .update(rooms)
      .set(settings)
      .where(and(eq(rooms.id, room.id), eq(rooms.companyId, room.companyId))),
    auditInsert(db, { companyId: room.companyId, userId: adminId, action: "room.settings_updated", subject: room.id, detail: { changed } }),
  ]);
}
