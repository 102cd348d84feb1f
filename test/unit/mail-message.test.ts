import { describe, expect, it } from "vitest";
import { displayName, encodedWords, headerText, listUnsubscribe, mailbox } from "../../worker/mail/header-fields";
import { checkMail, isMailAddress, type OutgoingMail } from "../../worker/mail/message";

const mail = (over: Partial<OutgoingMail> = {}): OutgoingMail =>
  ({ id: "m1", companyId: "c1", kind: "notice", to: "ann@example.com", sender: { name: "Acme", replyTo: "help@acme.test" }, content: { subject: "Hi", paragraphs: [] }, ...over }) as OutgoingMail;

describe("isMailAddress", () => {
  it("takes ordinary addresses and refuses what could break an envelope or a header", () => {
    expect(isMailAddress("ann.lee+shop@example.co.uk")).toBe(true);
    for (const bad of ["", "ann", "ann@@example.com", "ann@example.com\r\nRCPT TO:<x@y.z>", "<ann@example.com>", "ann smith@example.com", `${"a".repeat(250)}@example.com`]) {
      expect(isMailAddress(bad), bad).toBe(false);
    }
  });
});

describe("headerText and displayName", () => {
  it("fold line breaks and control characters onto one line, so text cannot start a header", () => {
    expect(headerText("Hello\r\nBcc: eve@example.com", 200)).toBe("Hello Bcc: eve@example.com");
    expect(headerText("a\u2028b\tc\u0000d", 200)).toBe("a b c d");
    expect(headerText("x".repeat(300), 200)).toHaveLength(200);
  });

  it("leave quotes and backslashes out of a display name, which goes between quotes", () => {
    expect(displayName('Acme "Best" \\ Co\nX-Evil: 1')).toBe("Acme Best Co X-Evil: 1");
  });
});

describe("listUnsubscribe", () => {
  it("wraps a web or mailto link in angle brackets", () => {
    expect(listUnsubscribe("https://parley.test/alerts/a1/unsubscribe")).toBe("<https://parley.test/alerts/a1/unsubscribe>");
    expect(listUnsubscribe("mailto:unsub@parley.test")).toBe("<mailto:unsub@parley.test>");
  });

  it("refuses a link with a line break (rather than letting the URL parser drop it) and one of another scheme", () => {
    expect(() => listUnsubscribe("https://parley.test/u\r\nBcc: x@y.z")).toThrow(/control characters/);
    expect(() => listUnsubscribe("javascript:alert(1)")).toThrow(/Not an unsubscribe link/);
  });
});

describe("encodedWords and mailbox", () => {
  it("leave plain ASCII as it is and quote an ASCII display name", () => {
    expect(encodedWords("Your receipt")).toBe("Your receipt");
    expect(mailbox("Acme Ltd", "mail@parley.test")).toBe('"Acme Ltd" <mail@parley.test>');
  });

  it("encode other text as UTF-8 base64 words of at most 45 bytes, folded, that decode back", () => {
    const text = "Reçu de Müller & Söhne — 北京咨询有限公司 — merci beaucoup pour votre confiance";
    const folded = encodedWords(text);
    const lines = folded.split("\r\n ");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(line.length).toBeLessThanOrEqual(76);
    }
    const decoded = lines.map((l) => Buffer.from(l.slice(10, -2), "base64").toString("utf8")).join("");
    expect(decoded).toBe(text);
    expect(mailbox("Zoë", "mail@parley.test")).toBe(`${encodedWords("Zoë")} <mail@parley.test>`);
  });
});

describe("checkMail", () => {
  it("keeps a good mail as it is, with no extra header but on an alert", () => {
    expect(checkMail(mail())).toEqual({ to: "ann@example.com", fromName: "Acme", replyTo: "help@acme.test", subject: "Hi", headers: {}, refused: null });
    expect(checkMail(mail({ kind: "alert", unsubscribeUrl: "https://parley.test/u/1" } as Partial<OutgoingMail>)).headers).toEqual({ "List-Unsubscribe": "<https://parley.test/u/1>" });
  });

  it("folds the subject and the sender's name, drops a Reply-To that is no address, and names a recipient that is none", () => {
    const checked = checkMail(
      mail({ to: " Ann@Example.com ", sender: { name: "Acme\r\nBcc: x@y.z", replyTo: "help@acme.test\r\nBcc: x@y.z" }, content: { subject: "Hi\r\nBcc: x@y.z", paragraphs: [] } }),
    );
    expect(checked).toMatchObject({ to: "ann@example.com", fromName: "Acme Bcc: x@y.z", replyTo: null, subject: "Hi Bcc: x@y.z", refused: null });
    expect(checkMail(mail({ to: "ann@@example.com" })).refused).toBe('"ann@@example.com" is not a valid email address.');
    expect(checkMail(mail({ sender: { name: "\r\n", replyTo: null } })).fromName).toBe("Parley");
  });
});
