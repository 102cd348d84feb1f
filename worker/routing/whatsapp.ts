// WhatsApp chats go to agents evenly (spec: WhatsApp Assignment), among those the room allows:
// online agents (a console open), offline agents, or both.

export type WhatsappCandidate = { agentId: string; number: string; online: boolean };
export type WhatsappScope = { online: boolean; offline: boolean };

/**
 * The next agent in turn: candidates are taken in a stable order (by agent id) and the one after
 * the last chosen is picked, so every eligible agent gets the same share.
 */
export function nextWhatsappAgent(candidates: WhatsappCandidate[], scope: WhatsappScope, lastAgentId: string | null): WhatsappCandidate | null {
  const eligible = candidates.filter((c) => (c.online ? scope.online : scope.offline)).sort((a, b) => a.agentId.localeCompare(b.agentId));
  if (!eligible.length) return null;
  return eligible.find((c) => lastAgentId !== null && c.agentId > lastAgentId) ?? eligible[0]!;
}
