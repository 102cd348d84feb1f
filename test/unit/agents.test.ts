import { describe, expect, it } from "vitest";
import { agentChanges, refusedEdit, type AgentInput, type AgentRow } from "../../worker/accounts/agents";

const ada: AgentRow = { id: "u1", name: "Ada", email: "ada@parley.test", handle: "ada", isAdmin: false, disabled: false, manualPaymentAllowed: false, roomIds: ["r1", "r2"] };
const asSaved: AgentInput = { name: "Ada", email: "ada@parley.test", password: "", roomIds: ["r2", "r1"], disabled: false };

describe("an admin's edit of an agent", () => {
  it("changes nothing when the form says what is saved, rooms in any order", () => {
    expect(agentChanges(ada, asSaved, false)).toEqual([]);
  });

  it("names every field it changes, a new password included, for the audit trail", () => {
    const edit: AgentInput = { name: "Ada L.", email: "ada.l@parley.test", password: "a new password 7", roomIds: ["r1"], disabled: true };
    expect(agentChanges(ada, edit, true)).toEqual(["name", "email", "password", "rooms", "disabled", "manualPaymentAllowed"]);
  });

  it("counts a room added as a change, even when the old ones are all still there", () => {
    expect(agentChanges(ada, { ...asSaved, roomIds: ["r1", "r2", "r3"] }, false)).toEqual(["rooms"]);
  });

  it("refuses an admin disabling their own account, and nothing else", () => {
    expect(refusedEdit("u1", "u1", { ...asSaved, disabled: true })?.fields).toEqual({ disabled: "You cannot disable your own account." });
    expect(refusedEdit("u1", "u1", asSaved)).toBeNull();
    expect(refusedEdit("admin", "u1", { ...asSaved, disabled: true })).toBeNull();
  });
});
