import { sha256Hex } from "../accounts/tokens";
import { consolesObject } from "./stubs";

/** Names a sign-in session on the consoles it opened, without the secret token itself. */
export const consoleSession = async (sessionToken: string) => (await sha256Hex(`console:${sessionToken}`)).slice(0, 32);

/**
 * Closes an agent's open consoles at once (ConsolesDO.closeConsoles): one session's on sign-out,
 * all of them (`session` null) when the agent is disabled or their rooms change.
 */
export async function closeAgentConsoles(
  env: Env,
  agent: { companyId: string; agentId: string },
  session: string | null,
  why: "signed-out" | "rooms-changed",
): Promise<void> {
  await consolesObject(env, agent.companyId, agent.agentId).closeConsoles(agent.agentId, session, why);
}
