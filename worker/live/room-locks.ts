import type { Plan } from "../accounts/company";
import { usableRoomIds } from "../rooms/usable-rooms";
import type { Db } from "../stores/db";
import { agentIdsOfRooms } from "../stores/room-changes";
import { listRoomRanks } from "../stores/rooms";
import { closeAgentConsoles } from "./agent-consoles";

// A console announces itself to the usable rooms its agent serves when it connects
// (routes/agent.tsx). A plan change, a retirement or a new order of the rooms can lock or unlock
// rooms: their agents' consoles reconnect, to stop ringing for a locked room or to take chats in
// one that opened.

type CompanyPlan = { id: string; plan: Plan };

/** The rooms the plan keeps usable now: read before a change, to compare after it. */
export const usableRoomsNow = async (db: Db, company: CompanyPlan): Promise<Set<string>> => usableRoomIds(company.plan, await listRoomRanks(db, company.id));

/** After a retirement or a new order: the consoles of the agents of each room whose lock changed reconnect. */
export async function reconnectWhereLocksChanged(env: Env, db: Db, company: CompanyPlan, before: Set<string>): Promise<void> {
  await reconnectRooms(env, db, company.id, before, await usableRoomsNow(db, company));
}

/** After the company moved to another plan: the same, for the rooms between the two plans' limits. */
export async function reconnectAfterPlanChange(env: Env, db: Db, companyId: string, from: Plan, to: Plan): Promise<void> {
  const ranks = await listRoomRanks(db, companyId);
  await reconnectRooms(env, db, companyId, usableRoomIds(from, ranks), usableRoomIds(to, ranks));
}

async function reconnectRooms(env: Env, db: Db, companyId: string, before: Set<string>, after: Set<string>): Promise<void> {
  const changed = [...before].filter((id) => !after.has(id)).concat([...after].filter((id) => !before.has(id)));
  if (!changed.length) return;
  const agentIds = await agentIdsOfRooms(db, changed);
  await Promise.all(agentIds.map((agentId) => closeAgentConsoles(env, { companyId, agentId }, null, "rooms-changed")));
}
