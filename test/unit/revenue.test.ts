import { describe, expect, it } from "vitest";
import { chargeLines, refundLines, type AccountType } from "../../worker/billing/fees";
import {
  chatStanding,
  csvFilename,
  csvRows,
  csvText,
  describeRange,
  filtersQuery,
  minorToDecimal,
  parseRevenueFilters,
  periodRange,
  revenueCsv,
  revenueReport,
  totalsByAgent,
  totalsByCharge,
  totalsByChat,
  totalsByCurrency,
  type ChatInfo,
  type LedgerLine,
} from "../../worker/billing/revenue";

const at = (iso: string) => Date.parse(iso);
const NOW = at("2025-05-14T15:30:00Z");

/** A chat paid in full by one charge, unless `rest` says otherwise. */
function chatInfo(id: string, rest: Partial<ChatInfo> = {}): ChatInfo {
  const amountMinor = rest.amountMinor ?? 1100;
  const currency = rest.currency ?? "EUR";
  return {
    id,
    room: "GENERAL",
    privateHandle: null,
    customerName: null,
    agentId: "agent-a",
    chargeableSeconds: 330,
    currency,
    amountMinor,
    charges: [{ status: "succeeded", amountMinor, currency: currency ?? "EUR", failureCode: null, at: at("2025-05-14T10:00:00Z") }],
    refundedMinor: {},
    ...rest,
  };
}

/** The ledger lines of one charge, as recordRevenue writes them. */
function charge(
  { chargeId, chatId = chargeId, agentId = "agent-a", amount = 1100, currency = "EUR", account = "company", when = "2025-05-14T10:00:00Z" }: {
    chargeId: string;
    chatId?: string;
    agentId?: string | null;
    amount?: number;
    currency?: string;
    account?: AccountType;
    when?: string;
  },
): LedgerLine[] {
  return chargeLines(amount, currency, account, "service").map((l) => ({ ...l, chargeId, chatId, agentId, currency, at: at(when) }));
}

describe("the revenue filters", () => {
  it("default to the last 30 days", () => {
    expect(parseRevenueFilters({})).toEqual({ ok: true, filters: { period: "30d" } });
  });

  it("treat dates without a period as custom dates, and empty form fields as not chosen", () => {
    expect(parseRevenueFilters({ from: "2025-05-01", to: "" })).toEqual({ ok: true, filters: { period: "custom", from: "2025-05-01" } });
    expect(parseRevenueFilters({ period: "", agent: "" })).toEqual({ ok: true, filters: { period: "30d" } });
  });

  it("let a preset period win over leftover dates", () => {
    expect(parseRevenueFilters({ period: "7d", from: "2025-01-01", to: "2025-01-31", agent: "u1" })).toEqual({ ok: true, filters: { period: "7d", agentId: "u1" } });
  });

  it("refuse a period, a date or a range that makes no sense, with a message a person can act on", () => {
    expect(parseRevenueFilters({ period: "fortnight" })).toMatchObject({ ok: false, message: "Choose a period: today, 7d, 30d, month, all, custom." });
    expect(parseRevenueFilters({ from: "14/05/2025" })).toMatchObject({ ok: false, message: "From: Dates look like 2025-05-31." });
    expect(parseRevenueFilters({ to: "2025-02-30" })).toMatchObject({ ok: false, message: "To: That date does not exist." });
    expect(parseRevenueFilters({ from: "2025-05-10", to: "2025-05-01" })).toMatchObject({ ok: false, message: "The start date is after the end date." });
    expect(parseRevenueFilters({ period: "custom" })).toMatchObject({ ok: false, message: "Choose a start date, an end date, or both." });
  });
});

describe("a period as a range of UTC days", () => {
  const range = (period: "today" | "7d" | "30d" | "month" | "all") => periodRange({ period }, NOW);

  it("covers whole days, today included", () => {
    expect(range("today")).toEqual({ from: at("2025-05-14T00:00:00Z"), to: at("2025-05-15T00:00:00Z") });
    expect(range("7d")).toEqual({ from: at("2025-05-08T00:00:00Z"), to: at("2025-05-15T00:00:00Z") });
    expect(range("30d")).toEqual({ from: at("2025-04-15T00:00:00Z"), to: at("2025-05-15T00:00:00Z") });
    expect(range("month")).toEqual({ from: at("2025-05-01T00:00:00Z"), to: at("2025-06-01T00:00:00Z") });
    expect(range("all")).toEqual({ from: null, to: null });
  });

  it("includes both custom dates, and leaves an open end open", () => {
    expect(periodRange({ period: "custom", from: "2025-05-01", to: "2025-05-01" }, NOW)).toEqual({ from: at("2025-05-01T00:00:00Z"), to: at("2025-05-02T00:00:00Z") });
    expect(periodRange({ period: "custom", to: "2024-12-31" }, NOW)).toEqual({ from: null, to: at("2025-01-01T00:00:00Z") });
  });

  it("reads in words", () => {
    expect(describeRange(range("month"))).toBe("1 May 2025 – 31 May 2025");
    expect(describeRange(range("today"))).toBe("14 May 2025");
    expect(describeRange(range("all"))).toBe("All time");
    expect(describeRange(periodRange({ period: "custom", from: "2025-05-01" }, NOW))).toBe("Since 1 May 2025");
  });

  it("goes back into the query string the way it came", () => {
    expect(filtersQuery({ period: "custom", from: "2025-05-01", to: "2025-05-31", agentId: "u 1" })).toBe("period=custom&from=2025-05-01&to=2025-05-31&agent=u+1");
    expect(filtersQuery({ period: "month" })).toBe("period=month");
  });
});

describe("revenue sums", () => {
  it("split a company's EUR 11.00 into Parley's 10 %, the processing estimate, and the rest", () => {
    const [eur] = totalsByCurrency(charge({ chargeId: "c1" }));
    // 11.00 − 1.10 fee − (2.9 % of 11.00 = 0.32 + 0.30) processing = 9.28
    expect(eur).toEqual({ currency: "EUR", chats: 1, grossMinor: 1100, platformFeeMinor: 110, processingFeeMinor: 62, refundedMinor: 0, disputedMinor: 0, disputeFeeMinor: 0, netMinor: 928, paidOutMinor: 0, unbalancedMinor: 0 });
  });

  it("on a solo account take 20 % and leave the processing to Parley", () => {
    const [eur] = totalsByCurrency(charge({ chargeId: "c1", account: "solo" }));
    expect(eur).toMatchObject({ grossMinor: 1100, platformFeeMinor: 220, processingFeeMinor: 0, netMinor: 880, unbalancedMinor: 0 });
  });

  it("always reconcile: gross − refunds − fees − processing = net, and every line sums to zero", () => {
    const lines = [
      ...charge({ chargeId: "c1", amount: 1100 }),
      ...charge({ chargeId: "c2", amount: 999, agentId: "agent-b" }),
      ...charge({ chargeId: "c3", amount: 123457, account: "solo" }),
      ...refundLines(300).map((l) => ({ ...l, chargeId: "c2", chatId: "c2", agentId: "agent-b", currency: "EUR", at: at("2025-05-14T12:00:00Z") })),
    ];
    const [t] = totalsByCurrency(lines);
    expect(t!.grossMinor - t!.refundedMinor - t!.platformFeeMinor - t!.processingFeeMinor).toBe(t!.netMinor);
    expect(t!.unbalancedMinor).toBe(0);
    expect(t!.refundedMinor).toBe(300);
    expect(Number.isInteger(t!.netMinor)).toBe(true);
  });

  it("never add different currencies together", () => {
    const lines = [...charge({ chargeId: "c1", currency: "USD" }), ...charge({ chargeId: "c2", currency: "EUR" }), ...charge({ chargeId: "c3", currency: "JPY", amount: 3150 })];
    expect(totalsByCurrency(lines).map((t) => [t.currency, t.grossMinor])).toEqual([
      ["EUR", 1100],
      ["JPY", 3150],
      ["USD", 1100],
    ]);
  });

  it("give each agent a row per currency, the biggest first, and each chat one row newest first", () => {
    const lines = [
      ...charge({ chargeId: "c1", agentId: "a", when: "2025-05-14T09:00:00Z" }),
      ...charge({ chargeId: "c2", agentId: "b", amount: 2000, when: "2025-05-14T11:00:00Z" }),
      ...charge({ chargeId: "c3", agentId: "a", when: "2025-05-14T10:00:00Z" }),
    ];
    expect(totalsByAgent(lines).map((a) => [a.agentId, a.chats, a.grossMinor])).toEqual([
      ["a", 2, 2200],
      ["b", 1, 2000],
    ]);
    expect(totalsByChat(lines).map((c) => c.chatId)).toEqual(["c2", "c3", "c1"]);
    expect(totalsByCharge(lines).map((c) => c.chargeId)).toEqual(["c1", "c3", "c2"]);
  });

  it("sum the split bills of one chat into one chat row, and keep them apart in the charge rows", () => {
    const lines = [...charge({ chargeId: "chat1:0", chatId: "chat1", amount: 2000 }), ...charge({ chargeId: "chat1:1", chatId: "chat1", amount: 500, when: "2025-05-14T10:10:00Z" })];
    const chats = totalsByChat(lines);
    expect(chats).toHaveLength(1);
    expect(chats[0]).toMatchObject({ grossMinor: 2500, at: at("2025-05-14T10:10:00Z") });
    expect(totalsByCharge(lines).map((c) => c.grossMinor)).toEqual([2000, 500]);
  });

  it("name a chat's state in each currency from the chat's own price, charges and refunds", () => {
    const split = chatInfo("c1", {
      amountMinor: 1750,
      charges: [
        { status: "succeeded", amountMinor: 1000, currency: "EUR", failureCode: null, at: 1 },
        { status: "failed", amountMinor: 750, currency: "EUR", failureCode: "insufficient_funds", at: 2 },
        { status: "succeeded", amountMinor: 3150, currency: "JPY", failureCode: null, at: 3 },
      ],
      refundedMinor: { JPY: 3150 },
    });
    expect(chatStanding(split, "EUR")).toMatchObject({ state: "payment_needed", paidMinor: 1000, outstandingMinor: 750 });
    // An invoice in another currency costs what was paid for it.
    expect(chatStanding(split, "JPY")).toMatchObject({ state: "refunded", paidMinor: 3150, outstandingMinor: 0 });
  });
});

describe("the report", () => {
  it("names rooms, customers and agents, and lists at most the newest chats asked for", () => {
    const lines = [...charge({ chargeId: "c1", agentId: "a" }), ...charge({ chargeId: "c2", agentId: "gone", when: "2025-05-14T11:00:00Z" })];
    const chats = [chatInfo("c1", { customerName: "Carla", agentId: "a" }), chatInfo("c2", { privateHandle: "bob", agentId: "gone", chargeableSeconds: 61 })];
    const report = revenueReport(lines, chats, [{ id: "a", name: "Alice", email: "alice@x.test" }], { generatedAt: NOW, range: { from: null, to: null }, showAgents: true, chatLimit: 1 });
    expect(report.chatCount).toBe(2);
    expect(report.chats).toEqual([expect.objectContaining({ chatId: "c2", room: "~bob", customer: null, agentName: "Former agent", chargeableSeconds: 61, standing: expect.objectContaining({ state: "paid" }) })]);
    expect(report.agents!.map((a) => [a.name, a.email])).toEqual([
      ["Alice", "alice@x.test"],
      ["Former agent", null],
    ]);
    expect(revenueReport(lines, chats, [], { generatedAt: NOW, range: { from: null, to: null }, showAgents: false, chatLimit: 10 }).agents).toBeNull();
  });

  it("lists a chat that owes money beside the paid ones, says what is outstanding, and adds it to no ledger sum", () => {
    // Split charge 0 paid EUR 10.00; the last EUR 7.50 failed. A second chat paid nothing before its card failed.
    const lines = charge({ chargeId: "split:0", chatId: "split", amount: 1000 });
    const chats = [
      chatInfo("split", {
        amountMinor: 1750,
        charges: [
          { status: "succeeded", amountMinor: 1000, currency: "EUR", failureCode: null, at: at("2025-05-14T10:00:00Z") },
          { status: "failed", amountMinor: 750, currency: "EUR", failureCode: "insufficient_funds", at: at("2025-05-14T10:05:00Z") },
        ],
      }),
      chatInfo("unpaid", { amountMinor: 1000, charges: [{ status: "failed", amountMinor: 1000, currency: "EUR", failureCode: "expired_card", at: at("2025-05-14T12:00:00Z") }] }),
      chatInfo("given-up", { amountMinor: 1000, charges: [{ status: "abandoned", amountMinor: 1000, currency: "EUR", failureCode: "abandoned", at: at("2025-05-14T09:00:00Z") }] }),
      chatInfo("free", { amountMinor: 0, charges: [] }),
    ];
    const report = revenueReport(lines, chats, [], { generatedAt: NOW, range: { from: null, to: null }, showAgents: false, chatLimit: 10 });
    expect(report.chats.map((c) => [c.chatId, c.standing.state, c.grossMinor, c.standing.outstandingMinor, c.standing.abandonedMinor])).toEqual([
      ["unpaid", "payment_needed", 0, 1000, 0],
      ["split", "payment_needed", 1000, 750, 0],
      ["given-up", "abandoned", 0, 0, 1000],
    ]);
    expect(report.totals).toEqual([expect.objectContaining({ currency: "EUR", grossMinor: 1000, chats: 1, outstandingMinor: 1750, owingChats: 2, unbalancedMinor: 0 })]);
  });

  it("gives a currency only owed in a total of its own", () => {
    const chats = [chatInfo("usd", { currency: "USD", amountMinor: 900, charges: [{ status: "failed", amountMinor: 900, currency: "USD", failureCode: "card_declined", at: 1 }] })];
    const report = revenueReport([], chats, [], { generatedAt: NOW, range: { from: null, to: null }, showAgents: false, chatLimit: 10 });
    expect(report.totals).toEqual([expect.objectContaining({ currency: "USD", grossMinor: 0, chats: 0, outstandingMinor: 900, owingChats: 1 })]);
  });
});

describe("time and money as text", () => {
  it("writes minor units as exact decimals, zero-decimal currencies included", () => {
    expect(minorToDecimal(1100, "EUR")).toBe("11.00");
    expect(minorToDecimal(5, "EUR")).toBe("0.05");
    expect(minorToDecimal(-62, "EUR")).toBe("-0.62");
    expect(minorToDecimal(0, "USD")).toBe("0.00");
    expect(minorToDecimal(3150, "JPY")).toBe("3150");
    expect(minorToDecimal(900719925474099, "EUR")).toBe("9007199254740.99");
  });
});

describe("the CSV export", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvText("plain")).toBe("plain");
    expect(csvText("Smith, Jane")).toBe('"Smith, Jane"');
    expect(csvText('Jane "JJ" Smith')).toBe('"Jane ""JJ"" Smith"');
    expect(csvText("two\nlines")).toBe('"two\nlines"');
    expect(csvText(null)).toBe("");
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvText("=HYPERLINK(\"http://evil.test\",\"x\")")).toBe('"\'=HYPERLINK(""http://evil.test"",""x"")"');
    expect(csvText("+1 555")).toBe("'+1 555");
    expect(csvText("-2+3")).toBe("'-2+3");
    expect(csvText("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvText("\tcmd")).toBe("'\tcmd");
    expect(csvText("Ann = Bob")).toBe("Ann = Bob");
  });

  it("has one row per charge with exact columns, the chat's state, and CRLF line ends", () => {
    const lines = [...charge({ chargeId: "chat1:0", chatId: "chat1", when: "2025-05-14T10:00:05.123Z" }), ...charge({ chargeId: "chat2:0", chatId: "chat2", agentId: "b", account: "solo", amount: 3150, currency: "JPY", when: "2025-05-14T11:00:00Z" })];
    const chats = [
      chatInfo("chat1", { room: "PAID", customerName: "Doe, John" }),
      chatInfo("chat2", { privateHandle: "bob", customerName: "=1+1", agentId: "b", currency: "JPY", amountMinor: 3150, chargeableSeconds: 60 }),
    ];
    const people = [
      { id: "agent-a", name: "Alice", email: "alice@x.test" },
      { id: "b", name: "Bob", email: "bob@x.test" },
    ];
    expect(revenueCsv(csvRows(lines, chats, people))).toBe(
      "date_utc,chat_id,room,agent_email,customer,currency,amount_minor,amount,platform_fee,processing_fee,net,chat_state,chat_outstanding,refunded,disputed\r\n" +
        '2025-05-14T10:00:05Z,chat1,PAID,alice@x.test,"Doe, John",EUR,1100,11.00,1.10,0.62,9.28,paid,0.00,0.00,0.00\r\n' +
        "2025-05-14T11:00:00Z,chat2,~bob,bob@x.test,'=1+1,JPY,3150,3150,630,0,2520,paid,0,0,0\r\n",
    );
  });

  it("says what a chat still owes on each of its rows, and gives a chat that paid nothing a row without money", () => {
    const lines = charge({ chargeId: "split:0", chatId: "split", amount: 1000, when: "2025-05-14T10:00:00Z" });
    const chats = [
      chatInfo("split", {
        amountMinor: 1750,
        charges: [
          { status: "succeeded", amountMinor: 1000, currency: "EUR", failureCode: null, at: at("2025-05-14T10:00:00Z") },
          { status: "failed", amountMinor: 750, currency: "EUR", failureCode: "insufficient_funds", at: at("2025-05-14T10:05:00Z") },
        ],
      }),
      chatInfo("given-up", { amountMinor: 1000, charges: [{ status: "abandoned", amountMinor: 1000, currency: "EUR", failureCode: "insufficient_funds", at: at("2025-05-14T12:00:00Z") }] }),
    ];
    const rows = revenueCsv(csvRows(lines, chats, [])).trimEnd().split("\r\n").slice(1);
    expect(rows).toEqual([
      "2025-05-14T10:00:00Z,split,GENERAL,,,EUR,1000,10.00,1.00,0.59,8.41,payment_needed,7.50,0.00,0.00",
      "2025-05-14T12:00:00Z,given-up,GENERAL,,,EUR,0,0.00,0.00,0.00,0.00,abandoned,0.00,0.00,0.00",
    ]);
  });

  it("is only a header when there is nothing to export", () => {
    expect(revenueCsv([])).toBe("date_utc,chat_id,room,agent_email,customer,currency,amount_minor,amount,platform_fee,processing_fee,net,chat_state,chat_outstanding,refunded,disputed\r\n");
  });

  it("is named for the day it was exported", () => {
    expect(csvFilename(NOW)).toBe("parley-revenue-2025-05-14.csv");
  });
});
