import { eq } from "drizzle-orm";
import { agentProfiles } from "../db/schema";
import type { Db } from "./db";

// An agent's private profile (spec/agent-private-profile.txt): greeting, alerts, own pricing.

export type AgentProfileRow = typeof agentProfiles.$inferSelect;

/** The agent's profile; undefined for an agent who never saved one. */
export const getAgentProfile = (db: Db, userId: string): Promise<AgentProfileRow | undefined> =>
  db.select().from(agentProfiles).where(eq(agentProfiles.userId, userId)).get();
