import { averageRating, type RatingTally } from "../ratings/rating";
import { isLoggedOn, type AgentPresence, type AgentStatus } from "./presence";

type Counts = Record<AgentStatus, number>;

export type AgentStat = { agentID: string; agName: string; browserAgentStatus: AgentStatus | null; mobileAppAgentStatus: AgentStatus | null };

export type RoomStats = {
  result: "OK";
  chatRoom: string;
  totalAgentLogon: number;
  agStatSummary: { browserAgentStatus: Counts; mobileAppAgentStatus: Counts };
  agStatDetails?: AgentStat[];
};

/** Parley's addition to the spec's details: each agent's customers' ratings (null average when none). */
export type RatedAgentStat = AgentStat & { averageRating: number | null; ratings: number };

// Key order as in the spec's example object.
const zero = (): Counts => ({ TAKING_BREAK: 0, WAITING_NEW_CALL: 0, REMOTE_CUSTOMER_HANGUP: 0, HANG_UP: 0, SERVING_CUSTOMER: 0 });

/** The statistics object of spec/chat-room-customizations.txt; details list each logged-on agent. */
export function roomStats(chatRoom: string, agents: AgentPresence[], details: boolean): RoomStats {
  const online = agents.filter(isLoggedOn);
  const browser = zero();
  const mobile = zero();
  for (const a of online) {
    if (a.browser) browser[a.browser]++;
    if (a.mobile) mobile[a.mobile]++;
  }
  const stats: RoomStats = {
    result: "OK",
    chatRoom,
    totalAgentLogon: online.length,
    agStatSummary: { browserAgentStatus: browser, mobileAppAgentStatus: mobile },
  };
  if (details) {
    stats.agStatDetails = online.map((a) => ({ agentID: a.email, agName: a.name, browserAgentStatus: a.browser, mobileAppAgentStatus: a.mobile }));
  }
  return stats;
}

/**
 * The details with each agent's rating added after the spec's fields (whose names and order stay
 * as the spec has them), from the agents' tallies by email, the statistics' agent id.
 */
export function withRatings(details: AgentStat[], tallies: Map<string, RatingTally>): RatedAgentStat[] {
  return details.map((agent) => {
    const tally = tallies.get(agent.agentID) ?? { sum: 0, count: 0 };
    return { ...agent, averageRating: averageRating(tally), ratings: tally.count };
  });
}
