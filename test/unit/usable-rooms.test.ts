import { describe, expect, it } from "vitest";
import { roomLimit } from "../../worker/accounts/plan-limits";
import { compareRooms, isRoomUsable, lockedReason, moveRoom, usableRoomIds, type RankedRoom } from "../../worker/rooms/usable-rooms";

// Which open rooms a plan keeps usable after a company moves down a plan: GENERAL, then the
// admins' order, then the older room; the rest are locked.

const room = (name: string, position: number, createdAt = 1000, id = `id-${name}`): RankedRoom & { retiredAt: number | null } => ({ id, name, position, createdAt, retiredAt: null });

/** GENERAL and ROOM_1 … ROOM_n, positions 1 … n, each made a second after the one before. */
const company = (n: number) => [room("GENERAL", 0), ...Array.from({ length: n }, (_, i) => room(`ROOM_${i + 1}`, i + 1, 1000 + i * 1000))];
const names = (rooms: RankedRoom[], ids: Set<string>) => rooms.filter((r) => ids.has(r.id)).map((r) => r.name);

describe("the rooms a plan keeps usable", () => {
  it("are every open room while the company has no more than the plan allows", () => {
    const rooms = company(19);
    expect(usableRoomIds("pro", rooms).size).toBe(20);
  });

  it("are GENERAL and the first rooms of the list up to the plan's limit, after a move down from Large Enterprise", () => {
    const rooms = company(24); // 25 open rooms on Pro (20)
    const usable = usableRoomIds("pro", rooms);
    expect(usable.size).toBe(roomLimit("pro"));
    expect(names(rooms, usable)).toEqual(["GENERAL", ...Array.from({ length: 19 }, (_, i) => `ROOM_${i + 1}`)]);
    expect(usable.has("id-ROOM_20")).toBe(false);
  });

  it("are GENERAL alone on Forever Free, wherever GENERAL sits in the positions", () => {
    const rooms = [room("SALES", -5, 1), room("GENERAL", 7, 9_999), room("SUPPORT", 0, 2)];
    expect(names(rooms, usableRoomIds("free", rooms))).toEqual(["GENERAL"]);
  });

  it("follow the admins' order (position) before age, and age before id when positions tie", () => {
    const older = room("OLDER", 5, 1000, "z");
    const newer = room("NEWER", 5, 2000, "a");
    const first = room("FIRST", 1, 9000);
    const twin = room("TWIN", 5, 1000, "y");
    expect([older, newer, first, twin, room("GENERAL", 3)].sort(compareRooms).map((r) => r.name)).toEqual(["GENERAL", "FIRST", "TWIN", "OLDER", "NEWER"]);
  });

  it("leave retired rooms out, so retiring a usable room makes the next locked one usable", () => {
    const rooms = company(24);
    rooms[3]!.retiredAt = 5; // ROOM_3
    const usable = usableRoomIds("pro", rooms);
    expect(usable.has("id-ROOM_3")).toBe(false);
    expect(usable.has("id-ROOM_20")).toBe(true);
    expect(usable.has("id-ROOM_21")).toBe(false);
  });

  it("come back all at once on the higher plan", () => {
    expect(usableRoomIds("enterprise", company(24)).size).toBe(25);
  });

  it("agree with the rank check the hot paths use (rooms ahead of it < the plan's limit)", () => {
    const rooms = [...company(30)].reverse();
    const ordered = [...rooms].sort(compareRooms);
    for (const plan of ["free", "pro", "enterprise"] as const) {
      const usable = usableRoomIds(plan, rooms);
      ordered.forEach((r, rank) => expect(isRoomUsable(plan, rank), `${plan} ${r.name}`).toBe(usable.has(r.id)));
    }
  });
});

describe("a locked room's reason", () => {
  it("names the plan's limit and both ways out, or the upgrade alone on Forever Free", () => {
    expect(lockedReason("pro")).toBe("Your plan allows 20 rooms. Retire a room or upgrade to use this one.");
    expect(lockedReason("enterprise")).toBe("Your plan allows 200 rooms. Retire a room to use this one.");
    expect(lockedReason("free")).toMatch(/GENERAL room only\. Upgrade/);
  });
});

describe("moving a room in the list", () => {
  it("swaps it with its neighbour and numbers the rooms by their place, returning only the changed ones", () => {
    const rooms = company(3);
    expect(moveRoom(rooms, "id-ROOM_3", "up")).toEqual([
      { id: "id-ROOM_3", position: 2 },
      { id: "id-ROOM_2", position: 3 },
    ]);
    expect(moveRoom(rooms, "id-ROOM_1", "down")).toEqual([
      { id: "id-ROOM_2", position: 1 },
      { id: "id-ROOM_1", position: 2 },
    ]);
  });

  it("untangles tied positions so that the move shows", () => {
    const rooms = [room("GENERAL", 0), room("A", 10, 1), room("B", 10, 2)];
    const moves = moveRoom(rooms, "id-B", "up");
    const moved = rooms.map((r) => ({ ...r, position: moves.find((m) => m.id === r.id)?.position ?? r.position })).sort(compareRooms);
    expect(moved.map((r) => r.name)).toEqual(["GENERAL", "B", "A"]);
  });

  it("never moves GENERAL nor anything above it, nor past either end", () => {
    const rooms = company(2);
    expect(moveRoom(rooms, "id-GENERAL", "down")).toEqual([]);
    expect(moveRoom(rooms, "id-ROOM_1", "up")).toEqual([]);
    expect(moveRoom(rooms, "id-ROOM_2", "down")).toEqual([]);
    expect(moveRoom(rooms, "no-such-room", "up")).toEqual([]);
  });
});
