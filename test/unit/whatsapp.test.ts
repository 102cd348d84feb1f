import { describe, expect, it } from "vitest";
import { nextWhatsappAgent, type WhatsappCandidate } from "../../worker/routing/whatsapp";

const a: WhatsappCandidate = { agentId: "a", number: "111111111", online: true };
const b: WhatsappCandidate = { agentId: "b", number: "222222222", online: false };
const c: WhatsappCandidate = { agentId: "c", number: "333333333", online: true };
const both = { online: true, offline: true };

describe("WhatsApp assignment", () => {
  it("takes eligible agents in turn, so each gets the same share", () => {
    let last: string | null = null;
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const next: WhatsappCandidate = nextWhatsappAgent([c, a, b], both, last)!;
      picks.push(next.agentId);
      last = next.agentId;
    }
    expect(picks).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("keeps to online agents when the room excludes offline ones, and the reverse", () => {
    expect(nextWhatsappAgent([a, b, c], { online: true, offline: false }, "a")!.agentId).toBe("c");
    expect(nextWhatsappAgent([a, b, c], { online: false, offline: true }, "b")!.agentId).toBe("b");
  });

  it("finds nobody when no agent fits", () => {
    expect(nextWhatsappAgent([a, c], { online: false, offline: true }, null)).toBeNull();
    expect(nextWhatsappAgent([], both, null)).toBeNull();
  });

  it("carries on after an agent who has since left the list", () => {
    expect(nextWhatsappAgent([a, c], both, "b")!.agentId).toBe("c");
  });
});
