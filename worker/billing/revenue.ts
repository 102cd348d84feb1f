import * as z from "zod";
import { minorDigits } from "./currency";
import type { LedgerAccount, LedgerKind } from "./fees";
import { hasMoney, standing, type ChargeFact, type PaymentState, type Standing } from "./payment-state";

// The Business Revenue page's arithmetic (spec: Business Revenue Balance, Pricing): which period a
// filter means, how the revenue ledger's lines add up per currency, agent, chat and charge, and
// the CSV export. Pure: the route loads the lines, this module sums them, the view shows them.
// Every money figure is a sum of ledger lines, so the page reconciles with the ledger by
// construction; only what chats still owe (payment-state.ts) comes from their charge rows.

export const PERIODS = ["today", "7d", "30d", "month", "all", "custom"] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = "30d";

export const PERIOD_LABELS: Record<Period, string> = {
  today: "Today",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  month: "This month",
  all: "All time",
  custom: "Custom dates",
};

const DAY_MS = 86_400_000;

/** A calendar date (UTC) as typed in a date input: 2025-05-31. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Dates look like 2025-05-31.")
  .refine((d) => dayStart(d) !== null, "That date does not exist.");

// Empty fields of the filter form arrive as "" and mean "not chosen".
const blank = (v: unknown) => (v === "" ? undefined : v);

export const revenueQuery = z.object({
  period: z.preprocess(blank, z.enum(PERIODS, { error: `Choose a period: ${PERIODS.join(", ")}.` }).optional()),
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
  agent: z.preprocess(blank, z.string().max(64, "That agent id is too long.").optional()),
});

export type RevenueFilters = {
  period: Period;
  /** Only for custom dates. */
  from?: string;
  to?: string;
  agentId?: string;
};

export type ParsedFilters = { ok: true; filters: RevenueFilters } | { ok: false; message: string; filters: RevenueFilters };

/**
 * Reads the query string. A preset period wins over dates (the form keeps the date fields around
 * but hides them); dates without a period mean custom dates; custom dates need at least one date.
 */
export function parseRevenueFilters(query: Record<string, string>): ParsedFilters {
  const parsed = revenueQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "");
    const message = field === "from" || field === "to" ? `${field === "from" ? "From" : "To"}: ${issue.message}` : issue.message;
    return { ok: false, message, filters: { period: DEFAULT_PERIOD } };
  }
  const { period, from, to, agent } = parsed.data;
  const agentId = agent ? { agentId: agent } : {};
  if (period && period !== "custom") return { ok: true, filters: { period, ...agentId } };
  if (!from && !to) {
    if (period === "custom") return { ok: false, message: "Choose a start date, an end date, or both.", filters: { period: "custom", ...agentId } };
    return { ok: true, filters: { period: DEFAULT_PERIOD, ...agentId } };
  }
  const filters: RevenueFilters = { period: "custom", ...(from ? { from } : {}), ...(to ? { to } : {}), ...agentId };
  if (from && to && from > to) return { ok: false, message: "The start date is after the end date.", filters };
  return { ok: true, filters };
}

/** Midnight UTC of a YYYY-MM-DD date, or null when there is no such day (2025-02-30). */
export function dayStart(date: string): number | null {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? t : null;
}

/** "2025-05-31": the UTC day of an instant, as reconciliations are keyed and pages show days. */
export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Half-open [from, to) in epoch ms; null means unbounded. Days are UTC days. */
export type DateRange = { from: number | null; to: number | null };

export function periodRange(filters: RevenueFilters, now: number): DateRange {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  switch (filters.period) {
    case "today":
      return { from: today, to: today + DAY_MS };
    case "7d":
      return { from: today - 6 * DAY_MS, to: today + DAY_MS };
    case "30d":
      return { from: today - 29 * DAY_MS, to: today + DAY_MS };
    case "month": {
      const d = new Date(now);
      return { from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    }
    case "all":
      return { from: null, to: null };
    case "custom":
      return {
        from: filters.from ? dayStart(filters.from) : null,
        to: filters.to ? dayStart(filters.to)! + DAY_MS : null,
      };
  }
}

/** "1 May 2025 – 31 May 2025", "since 1 May 2025", "all time": the range in words (UTC). */
export function describeRange(range: DateRange): string {
  const fmt = (t: number) => new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  if (range.from === null && range.to === null) return "All time";
  if (range.from === null) return `Until ${fmt(range.to! - DAY_MS)}`;
  if (range.to === null) return `Since ${fmt(range.from)}`;
  const last = range.to - DAY_MS;
  return last <= range.from ? fmt(range.from) : `${fmt(range.from)} – ${fmt(last)}`;
}

/** The query string of a set of filters, for links (CSV, refresh) that keep them. */
export function filtersQuery(filters: RevenueFilters): string {
  const q = new URLSearchParams({ period: filters.period });
  if (filters.period === "custom") {
    if (filters.from) q.set("from", filters.from);
    if (filters.to) q.set("to", filters.to);
  }
  if (filters.agentId) q.set("agent", filters.agentId);
  return q.toString();
}

// ── Sums ────────────────────────────────────────────────────────────────────────────────────

/** Ledger lines as loaded: one sum per charge, account and kind. */
export type LedgerLine = {
  chargeId: string | null;
  chatId: string | null;
  agentId: string | null;
  currency: string;
  kind: LedgerKind;
  account: LedgerAccount;
  amountMinor: number;
  /** When the line was written (the latest, for a sum of several). */
  at: number;
};

/**
 * What a set of ledger lines means to the merchant, in one currency. The merchant's account
 * decides: net = gross − refunded − disputed − Parley's fee − the processing (and dispute fees)
 * the merchant bears (nothing on a solo account, where Parley bears them). `unbalancedMinor` is the sum of every line: 0 always,
 * unless the ledger is broken.
 */
export type Breakdown = {
  currency: string;
  grossMinor: number;
  refundedMinor: number;
  /** Taken back by a card holder's bank, and Stripe's fee for each dispute (whoever bears it). */
  disputedMinor: number;
  disputeFeeMinor: number;
  platformFeeMinor: number;
  processingFeeMinor: number;
  netMinor: number;
  paidOutMinor: number;
  unbalancedMinor: number;
};

export const emptyBreakdown = (currency: string): Breakdown => ({
  currency,
  grossMinor: 0,
  refundedMinor: 0,
  disputedMinor: 0,
  disputeFeeMinor: 0,
  platformFeeMinor: 0,
  processingFeeMinor: 0,
  netMinor: 0,
  paidOutMinor: 0,
  unbalancedMinor: 0,
});

export function addLine(b: Breakdown, line: LedgerLine): Breakdown {
  const out = { ...b, unbalancedMinor: b.unbalancedMinor + line.amountMinor };
  if (line.account === "customer") {
    if (line.kind === "charge") out.grossMinor -= line.amountMinor;
    if (line.kind === "refund") out.refundedMinor += line.amountMinor;
    if (line.kind === "dispute") out.disputedMinor += line.amountMinor;
  }
  if (line.account === "processor" && line.kind === "dispute_fee") out.disputeFeeMinor += line.amountMinor;
  if (line.account === "merchant") {
    if (line.kind === "payout") out.paidOutMinor -= line.amountMinor;
    else out.netMinor += line.amountMinor;
    if (line.kind === "platform_fee") out.platformFeeMinor -= line.amountMinor;
    if (line.kind === "processing_fee") out.processingFeeMinor -= line.amountMinor;
  }
  return out;
}

/** Sums lines into one breakdown per group key and currency, in first-seen order. */
function groupSum<K>(lines: LedgerLine[], keyOf: (l: LedgerLine) => K): { key: K; breakdown: Breakdown; lines: LedgerLine[] }[] {
  const groups = new Map<string, { key: K; breakdown: Breakdown; lines: LedgerLine[] }>();
  for (const line of lines) {
    const key = keyOf(line);
    const id = JSON.stringify([key, line.currency]);
    const g = groups.get(id) ?? { key, breakdown: emptyBreakdown(line.currency), lines: [] };
    g.breakdown = addLine(g.breakdown, line);
    g.lines.push(line);
    groups.set(id, g);
  }
  return [...groups.values()];
}

const distinctChats = (lines: LedgerLine[]) => new Set(lines.map((l) => l.chatId).filter((c) => c !== null)).size;
const byCurrency = (a: { breakdown: Breakdown }, b: { breakdown: Breakdown }) => a.breakdown.currency.localeCompare(b.breakdown.currency);

export type CurrencyTotal = Breakdown & { chats: number };

/** One total per currency, alphabetical: money in different currencies is never added up. */
export function totalsByCurrency(lines: LedgerLine[]): CurrencyTotal[] {
  return groupSum(lines, () => null)
    .sort(byCurrency)
    .map((g) => ({ ...g.breakdown, chats: distinctChats(g.lines) }));
}

export type AgentTotal = Breakdown & { agentId: string | null; chats: number };

/** One row per agent and currency, the biggest gross first. */
export function totalsByAgent(lines: LedgerLine[]): AgentTotal[] {
  return groupSum(lines, (l) => l.agentId)
    .map((g) => ({ ...g.breakdown, agentId: g.key, chats: distinctChats(g.lines) }))
    .sort((a, b) => a.currency.localeCompare(b.currency) || b.grossMinor - a.grossMinor);
}

export type ChatTotal = Breakdown & { chatId: string; agentId: string | null; at: number };

/** One row per chat (and currency), the most recently charged first. */
export function totalsByChat(lines: LedgerLine[]): ChatTotal[] {
  return groupSum(
    lines.filter((l) => l.chatId !== null),
    (l) => l.chatId!,
  )
    .map((g) => ({ ...g.breakdown, chatId: g.key, agentId: g.lines[0]!.agentId, at: Math.max(...g.lines.map((l) => l.at)) }))
    .sort((a, b) => b.at - a.at || a.chatId.localeCompare(b.chatId));
}

export type ChargeTotal = Breakdown & { chargeId: string; chatId: string | null; agentId: string | null; at: number };

/** One row per charge, oldest first (the order of a statement). */
export function totalsByCharge(lines: LedgerLine[]): ChargeTotal[] {
  return groupSum(
    lines.filter((l) => l.chargeId !== null),
    (l) => l.chargeId!,
  )
    .map((g) => ({
      ...g.breakdown,
      chargeId: g.key,
      chatId: g.lines[0]!.chatId,
      agentId: g.lines[0]!.agentId,
      // The charge's own time: its earliest line, so a later refund line does not move it.
      at: Math.min(...g.lines.map((l) => l.at)),
    }))
    .sort((a, b) => a.at - b.at || a.chargeId.localeCompare(b.chargeId));
}

// ── The report ──────────────────────────────────────────────────────────────────────────────

/** A chat as the report names it, with what its money standing is derived from. */
export type ChatInfo = {
  id: string;
  room: string | null;
  /** Handle of the agent whose private room the chat came through. */
  privateHandle: string | null;
  customerName: string | null;
  agentId: string | null;
  chargeableSeconds: number;
  /** The currency the chat is priced in, and what it costs (chats.amount_minor); null: never priced. */
  currency: string | null;
  amountMinor: number;
  /** Every charge row of the chat, whatever its date. */
  charges: (ChargeFact & { currency: string; at: number })[];
  /** What was given back to the customer, by currency, whatever its date. */
  refundedMinor: Record<string, number>;
};

/**
 * Where a chat's money stands in one currency. A chat is priced in one currency; an invoice it
 * was paid in another costs what was paid for it.
 */
export function chatStanding(chat: ChatInfo, currency: string): Standing {
  return standing({
    amountMinor: chat.currency === currency ? chat.amountMinor : 0,
    charges: chat.charges.filter((c) => c.currency === currency),
    refundedMinor: chat.refundedMinor[currency] ?? 0,
  });
}

/** Ledger lines whose chat record is gone: only what the ledger says was paid and refunded. */
const ledgerStanding = (t: Breakdown): Standing =>
  standing({ amountMinor: t.grossMinor, charges: [{ status: "succeeded", amountMinor: t.grossMinor, failureCode: null }], refundedMinor: t.refundedMinor });

/**
 * The chats of the scope that moved no money in it (payment needed, abandoned, nothing paid yet)
 * but owe some: rows of their own, dated by their last charge row, beside the ledger's.
 */
function unpaidChats(lines: LedgerLine[], chats: ChatInfo[]): ChatTotal[] {
  const inLedger = new Set(lines.map((l) => `${l.chatId} ${l.currency}`));
  return chats
    .filter((c) => c.currency !== null && !inLedger.has(`${c.id} ${c.currency}`) && hasMoney(chatStanding(c, c.currency)))
    .map((c) => ({ ...emptyBreakdown(c.currency!), chatId: c.id, agentId: c.agentId, at: Math.max(0, ...c.charges.map((ch) => ch.at)) }));
}

export type PersonInfo = { id: string; name: string; email: string };

export type ChatRow = ChatTotal & { room: string; customer: string | null; agentName: string; chargeableSeconds: number; standing: Standing };
export type AgentRow = AgentTotal & { name: string; email: string | null };

/** A currency's totals on the page: the ledger's sums, and what chats still owe in it. */
export type ReportTotal = CurrencyTotal & { outstandingMinor: number; owingChats: number };

export type RevenueReport = {
  generatedAt: number;
  rangeLabel: string;
  totals: ReportTotal[];
  /** Null when the reader sees only their own chats. */
  agents: AgentRow[] | null;
  chats: ChatRow[];
  /** All chats of the scope; `chats` holds at most the newest `chatLimit`. */
  chatCount: number;
};

const roomLabel = (chat: ChatInfo | undefined) => (chat ? (chat.privateHandle ? `~${chat.privateHandle}` : (chat.room ?? "")) : "");

/** Every chat of the scope, paid or not, with its standing, the most recent first. */
function chatsWithStanding(lines: LedgerLine[], chats: ChatInfo[]): (ChatTotal & { standing: Standing })[] {
  const chatById = new Map(chats.map((c) => [c.id, c]));
  return [...totalsByChat(lines), ...unpaidChats(lines, chats)]
    .map((t) => {
      const chat = chatById.get(t.chatId);
      return { ...t, standing: chat ? chatStanding(chat, t.currency) : ledgerStanding(t) };
    })
    .sort((a, b) => b.at - a.at || a.chatId.localeCompare(b.chatId));
}

/** Adds what the chats owe to the ledger's totals; a currency only owed in gets a total of its own. */
function withOutstanding(totals: CurrencyTotal[], chats: { currency: string; standing: Standing }[]): ReportTotal[] {
  const byCurrency = new Map<string, ReportTotal>(totals.map((t) => [t.currency, { ...t, outstandingMinor: 0, owingChats: 0 }]));
  for (const c of chats) {
    if (c.standing.outstandingMinor === 0) continue;
    const t = byCurrency.get(c.currency) ?? { ...emptyBreakdown(c.currency), chats: 0, outstandingMinor: 0, owingChats: 0 };
    byCurrency.set(c.currency, { ...t, outstandingMinor: t.outstandingMinor + c.standing.outstandingMinor, owingChats: t.owingChats + 1 });
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

export function revenueReport(
  lines: LedgerLine[],
  chats: ChatInfo[],
  people: PersonInfo[],
  options: { generatedAt: number; range: DateRange; showAgents: boolean; chatLimit: number },
): RevenueReport {
  const chatById = new Map(chats.map((c) => [c.id, c]));
  const personById = new Map(people.map((p) => [p.id, p]));
  const nameOf = (agentId: string | null) => (agentId ? (personById.get(agentId)?.name ?? "Former agent") : "No agent");
  const allChats = chatsWithStanding(lines, chats);
  return {
    generatedAt: options.generatedAt,
    rangeLabel: describeRange(options.range),
    totals: withOutstanding(totalsByCurrency(lines), allChats),
    agents: options.showAgents ? totalsByAgent(lines).map((a) => ({ ...a, name: nameOf(a.agentId), email: a.agentId ? (personById.get(a.agentId)?.email ?? null) : null })) : null,
    chats: allChats.slice(0, options.chatLimit).map((t) => {
      const chat = chatById.get(t.chatId);
      return { ...t, room: roomLabel(chat), customer: chat?.customerName ?? null, agentName: nameOf(t.agentId), chargeableSeconds: chat?.chargeableSeconds ?? 0 };
    }),
    chatCount: allChats.length,
  };
}

/**
 * The export's rows: every charge of the scope, and a row without money for each chat that owes
 * but paid nothing in it, each with its chat's room, customer, agent's email and standing.
 */
export function csvRows(lines: LedgerLine[], chats: ChatInfo[], people: PersonInfo[]): CsvRow[] {
  const chatById = new Map(chats.map((c) => [c.id, c]));
  const emailOf = new Map(people.map((p) => [p.id, p.email]));
  const rows: (Breakdown & { chatId: string | null; agentId: string | null; at: number })[] = [...totalsByCharge(lines), ...unpaidChats(lines, chats)];
  return rows
    .sort((a, b) => a.at - b.at)
    .map((t) => {
      const chat = t.chatId ? chatById.get(t.chatId) : undefined;
      const money = chat ? chatStanding(chat, t.currency) : ledgerStanding(t);
      return {
        ...t,
        room: roomLabel(chat),
        agentEmail: t.agentId ? (emailOf.get(t.agentId) ?? null) : null,
        customer: chat?.customerName ?? null,
        state: money.state,
        outstandingMinor: money.outstandingMinor,
      };
    });
}

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────

/** 1100 EUR → "11.00", -62 → "-0.62", 3150 JPY → "3150": exact, from the integer, never a float. */
export function minorToDecimal(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = String(Math.abs(amountMinor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, "0");
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * One CSV field (RFC 4180). Text from people (names, rooms) that a spreadsheet would read as a
 * formula — starting with = + - @, or a tab or carriage return — gets a leading apostrophe first
 * (OWASP's CSV injection advice). Numbers we produce ourselves are left as they are.
 */
export function csvText(value: string | null): string {
  let v = value ?? "";
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const CSV_COLUMNS = [
  "date_utc",
  "chat_id",
  "room",
  "agent_email",
  "customer",
  "currency",
  "amount_minor",
  "amount",
  "platform_fee",
  "processing_fee",
  "net",
  "chat_state",
  "chat_outstanding",
  "refunded",
  "disputed",
] as const;

export type CsvRow = Breakdown & {
  chatId: string | null;
  at: number;
  room: string | null;
  agentEmail: string | null;
  customer: string | null;
  /** The chat's, on each of its rows. */
  state: PaymentState;
  outstandingMinor: number;
};

/**
 * The export: one row per charge, and one without money for a chat that paid nothing in the
 * period but owes (payment needed, abandoned). `amount_minor` is the customer's payment in minor
 * units; the other money columns are decimals in the currency's major unit (11.00), so a
 * spreadsheet can sum them. `chat_state` and `chat_outstanding` are the chat's as the page shows
 * them, repeated on each of its rows; `refunded` and `disputed` are what was taken back of the
 * row's charge (net already counts them). Lines end in CRLF, as RFC 4180 says.
 */
export function revenueCsv(rows: CsvRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [
        new Date(r.at).toISOString().replace(/\.\d{3}Z$/, "Z"),
        csvText(r.chatId),
        csvText(r.room),
        csvText(r.agentEmail),
        csvText(r.customer),
        r.currency,
        String(r.grossMinor),
        minorToDecimal(r.grossMinor, r.currency),
        minorToDecimal(r.platformFeeMinor, r.currency),
        minorToDecimal(r.processingFeeMinor, r.currency),
        minorToDecimal(r.netMinor, r.currency),
        r.state,
        minorToDecimal(r.outstandingMinor, r.currency),
        minorToDecimal(r.refundedMinor, r.currency),
        minorToDecimal(r.disputedMinor, r.currency),
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

export const csvFilename = (now: number) => `parley-revenue-${isoDay(now)}.csv`;
