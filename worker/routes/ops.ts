import { Hono } from "hono";
import * as z from "zod";
import { auditInsert } from "../stores/audit";
import { openDb } from "../stores/db";
import { getPayout, markPayoutPaid } from "../stores/payouts";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";

// Parley's own staff, not a customer company: the payouts Parley sends by hand (PayPal, AliPay,
// WeChat Pay have no API here) are marked paid with the payment's reference. Reached with the
// OPS_API_TOKEN secret as a bearer token (curl or a script), never with a browser session; the
// routes do not exist on a server without the secret.

const encoder = new TextEncoder();

async function sameToken(given: string, expected: string): Promise<boolean> {
  // Compare digests so the comparison takes the same time whatever the lengths.
  const [a, b] = (await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(given)), crypto.subtle.digest("SHA-256", encoder.encode(expected))])).map((d) => new Uint8Array(d));
  let diff = 0;
  for (let i = 0; i < a!.length; i++) diff |= a![i]! ^ b![i]!;
  return diff === 0;
}

const paidForm = z.object({ reference: z.string().trim().min(1, "Give the payment's reference.").max(200, "Use at most 200 characters.") });

export const opsRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    const expected = c.env.OPS_API_TOKEN;
    if (!expected) throw notFound();
    const given = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    if (!(await sameToken(given, expected))) throw new AppError("unauthorised", "A valid operator token is needed.");
    await next();
  })
  .post("/payouts/:id/paid", async (c) => {
    const parsed = paidForm.safeParse(await c.req.parseBody());
    if (!parsed.success) return c.json({ error: parsed.error.issues[0]!.message }, 422);
    const db = openDb(c.env.DB);
    const payout = await getPayout(db, c.req.param("id"));
    if (!payout) throw notFound("payout");
    if (payout.state === "paid") return c.json({ id: payout.id, state: "paid", reference: payout.reference });
    if (payout.state !== "manual") throw new AppError("conflict", "Only a payout due to be paid by hand can be marked paid; Stripe payouts are sent by the payout run.");
    await markPayoutPaid(db, payout, "manual", parsed.data.reference, Date.now());
    await auditInsert(db, { companyId: payout.companyId, userId: null, action: "payout.paid_by_hand", subject: payout.id, detail: { reference: parsed.data.reference } }).run();
    return c.json({ id: payout.id, state: "paid", reference: parsed.data.reference });
  });
