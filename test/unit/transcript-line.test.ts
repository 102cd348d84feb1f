import { html } from "hono/html";
import { describe, expect, it } from "vitest";
import { escapeHtml, lineHtml } from "../../views/live/ChatParts";

// Every relayed text is rendered by hand (lineHtml): it must escape as hono's `html` does.

const tricky = [`plain`, `<script>alert("x")</script>`, `Tom & Jerry's "café"`, `a > b < c`, `&amp; already`, ``, `emoji 🙂 and 中文`];

describe("escapeHtml", () => {
  it("escapes as hono's html template does", () => {
    for (const text of tricky) expect(escapeHtml(text)).toBe(html`${text}`.toString());
  });
});

describe("lineHtml", () => {
  it("is the transcript line, its values escaped", () => {
    const line = lineHtml({ seq: 7, sender: "guest:a\"b", body: "<b>hi</b> & bye", at: Date.UTC(2026, 0, 2, 3, 4, 5) }, "Ann <admin>", true);
    expect(line).toBe(
      '<div class="line own" data-sender="guest:a&quot;b" data-seq="7"><div class="bubble"><span class="who">Ann &lt;admin&gt;</span>' +
        '<p>&lt;b&gt;hi&lt;/b&gt; &amp; bye</p><time datetime="2026-01-02T03:04:05.000Z">03:04 UTC</time></div></div>',
    );
    expect(lineHtml({ seq: 1, sender: "customer", body: "x", at: 0 }, "C")).toContain('<div class="line" data-sender="customer"');
  });
});
