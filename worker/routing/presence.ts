// Agent states as the statistics API names them (spec/chat-room-customizations.txt), and what
// one agent's presence looks like to a room.

export const AGENT_STATUSES = ["WAITING_NEW_CALL", "SERVING_CUSTOMER", "REMOTE_CUSTOMER_HANGUP", "HANG_UP", "TAKING_BREAK"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const DEVICES = ["browser", "mobile"] as const;
export type Device = (typeof DEVICES)[number];

export type Location = { lat: number; lon: number };

export type AgentPresence = {
  agentId: string;
  email: string;
  name: string;
  /** null: no console of that kind is connected. */
  browser: AgentStatus | null;
  mobile: AgentStatus | null;
  location: Location | null;
  /** Chats the agent is serving now, across every room. */
  activeChats: number;
};

/** The states an agent may choose by hand; the others follow from chats. */
export const CHOOSABLE: readonly AgentStatus[] = ["WAITING_NEW_CALL", "TAKING_BREAK"];

export const isLoggedOn = (a: AgentPresence) => a.browser !== null || a.mobile !== null;
