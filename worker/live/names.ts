import { guestSender, type Guest } from "./conference-rules";
import type { AgentCard, ChatInit, Party } from "./contracts";

// How the people of a chat are named on each other's screens.

/** Each party as the other sees them: the customer's name from the form, the agent's name or the room's agent role while nobody answered. */
export const partyNames = (init: ChatInit, agent: AgentCard | null): Record<Party, string> => ({
  customer: init.customer.name ?? "Customer",
  agent: agent?.name ?? init.agentRole,
});

/** The author of each stored line: the two parties, and the conference's guests by their sender key. */
export const senderNames = (init: ChatInit, agent: AgentCard | null, guests: Guest[]): Record<string, string> => ({
  ...partyNames(init, agent),
  ...Object.fromEntries(guests.map((g) => [guestSender(g.agentId), g.name])),
});
