import { Hono } from "hono";
import { and, asc, eq } from "drizzle-orm";
import { openDb } from "../adapters/db";
import type { SessionUser } from "../accounts/sessions";
import type { AppEnv } from "../app-env";
import { roomAgents, rooms } from "../db/schema";
import { requireAgent, requireUser } from "../http/session";
import { AgentHome } from "../../views/AgentHome";

export const agentRoutes = new Hono<AppEnv>().use(requireUser, requireAgent).get("/", async (c) => {
  const user = c.get("user") as SessionUser;
  const served = await openDb(c.env.DB)
    .select({ room: rooms })
    .from(roomAgents)
    .innerJoin(rooms, eq(rooms.id, roomAgents.roomId))
    .where(and(eq(roomAgents.userId, user.id), eq(rooms.companyId, user.companyId)))
    .orderBy(asc(rooms.position));
  return c.render(
    <AgentHome
      name={user.name}
      companySlug={user.companySlug}
      handle={user.handle}
      plan={user.plan}
      rooms={served.map((s) => s.room)}
      origin={new URL(c.req.url).origin}
    />,
  );
});
