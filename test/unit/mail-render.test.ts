import { describe, expect, it } from "vitest";
import { renderMail } from "../../views/mail/render";
import type { MailContent } from "../../worker/mail/message";

const content: MailContent = {
  subject: "Your receipt",
  greeting: "Hello <Ann>,",
  paragraphs: ["You paid EUR 11.00 for 5:30 of service.", 'Questions? Write to "help" & co.'],
  facts: [
    ["Amount", "EUR 11.00"],
    ["Agent", "Alice <script>"],
  ],
  action: { label: "Open the room", url: "https://parley.test/c/demo/GENERAL?x=1&y=2" },
};

describe("renderMail", () => {
  it("says the same in the text part as in the HTML part, and names the sender", () => {
    const { text, html } = renderMail(content, { name: "Acme", replyTo: null });
    expect(text).toBe(
      [
        "Hello <Ann>,",
        "You paid EUR 11.00 for 5:30 of service.",
        'Questions? Write to "help" & co.',
        "Amount: EUR 11.00\nAgent:  Alice <script>",
        "Open the room: https://parley.test/c/demo/GENERAL?x=1&y=2",
        "-- \nSent by Acme through Parley.",
      ].join("\n\n") + "\n",
    );
    for (const part of ["You paid EUR 11.00 for 5:30 of service.", "EUR 11.00", "Sent by Acme through Parley."]) expect(html).toContain(part);
  });

  it("escapes every value in the HTML part", () => {
    const { html } = renderMail(content, { name: "A & B <Ltd>", replyTo: null });
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain("Hello &lt;Ann&gt;,");
    expect(html).toContain("Alice &lt;script&gt;");
    expect(html).toContain("Questions? Write to &quot;help&quot; &amp; co.");
    expect(html).toContain('href="https://parley.test/c/demo/GENERAL?x=1&amp;y=2"');
    expect(html).toContain("Sent by A &amp; B &lt;Ltd&gt; through Parley.");
    expect(html).not.toContain("<script>");
  });
});
