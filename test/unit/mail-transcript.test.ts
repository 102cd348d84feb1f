import { describe, expect, it } from "vitest";
import { transcriptContent, transcriptForm, transcriptLine } from "../../worker/mail/transcript";

const start = Date.UTC(2026, 11, 7, 23, 58);

describe("transcriptLine", () => {
  it("names the writer and gives the UTC time", () => {
    expect(transcriptLine({ name: "Ann", at: start + 60_000, body: "Hi <b>" }, start)).toBe("[23:59 UTC] Ann: Hi <b>");
  });

  it("gives the date too on a line written after midnight", () => {
    expect(transcriptLine({ name: "Bob", at: start + 5 * 60_000, body: "Late" }, start)).toBe("[2026-12-08 00:03 UTC] Bob: Late");
  });
});

describe("transcriptContent", () => {
  it("heads the lines with the company, room, agent and start, and says so when nobody wrote", () => {
    const content = transcriptContent({ chatId: "c1", companyName: "Acme", roomName: "GENERAL", agentName: "Alice", startedAt: start }, []);
    expect(content.subject).toBe("Your chat transcript from Acme");
    expect(content.facts).toEqual([
      ["Company", "Acme"],
      ["Room", "GENERAL"],
      ["Agent", "Alice"],
      ["Chat started", "2026-12-07 23:58 UTC"],
      ["Chat", "c1"],
    ]);
    expect(content.paragraphs.at(-1)).toBe("(No messages were written in this chat.)");
  });
});

describe("transcriptForm", () => {
  it("takes an address trimmed and in lower case, and refuses a malformed or empty one", () => {
    expect(transcriptForm.parse({ email: " Ann@Example.COM " })).toEqual({ email: "ann@example.com" });
    expect(transcriptForm.safeParse({ email: "" }).error?.issues[0]?.message).toBe("Enter your email address.");
    expect(transcriptForm.safeParse({ email: "a@b.test\r\nBcc: x@y.test" }).success).toBe(false);
  });
});
