import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Company, Plan } from "../accounts/company";
import { FormError } from "../accounts/form-error";
import { hashPassword } from "../accounts/password";
import { newId } from "../accounts/tokens";
import { handleFrom, type SignUpInput } from "../accounts/validation";
import { agentProfiles, companies, roomAgents, rooms, users } from "../db/schema";
import { presetRooms } from "../rooms/presets";
import { auditInsert } from "./audit";
import type { Checked, Db, SameColumns } from "./db";

// Companies: created at sign-up with their first user, preset rooms and profile; their Stripe
// account once connected.

// The rows these queries return are the domain's Company, column for column.
type CompanyRow = Checked<SameColumns<Company, typeof companies.$inferSelect>>;

export const getCompanyBySlug = (db: Db, slug: string) => db.select().from(companies).where(eq(companies.slug, slug)).get();

export const getCompany = (db: Db, id: string) => db.select().from(companies).where(eq(companies.id, id)).get();

/** The company's new Stripe account (Connect), stored before its onboarding starts: as a statement for the caller's batch. */
export const saveStripeAccount = (db: Db, companyId: string, accountId: string) =>
  db.update(companies).set({ stripeAccountId: accountId, stripeAccountReady: false }).where(eq(companies.id, companyId));

/** Whether the company's Stripe account may take payments, as Stripe said after onboarding. */
export const markStripeAccountReady = (db: Db, companyId: string, ready: boolean) => db.update(companies).set({ stripeAccountReady: ready }).where(eq(companies.id, companyId));

/** Puts a company on a plan at once (local development only: paid plans otherwise follow Stripe). Returns whether it exists. */
export const setPlanLocally = async (db: Db, slug: string, plan: Plan): Promise<boolean> =>
  (await db.update(companies).set({ plan }).where(eq(companies.slug, slug)).returning({ id: companies.id })).length > 0;

export type NewAccount = { companyId: string; userId: string };

/**
 * Creates a company with its first user and its preset rooms in one batch, so a failure leaves
 * nothing behind. A Solo User is admin and agent at once and serves every preset room; a Company's
 * first user is its admin, who adds agents on the Agent Staff Admin page.
 */
export async function signUp(db: Db, input: SignUpInput, plan: Plan = "free"): Promise<NewAccount> {
  const [slugTaken, emailTaken] = await Promise.all([
    db.select({ id: companies.id }).from(companies).where(eq(companies.slug, input.companySlug)).get(),
    db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get(),
  ]);
  const errors: Record<string, string> = {};
  if (slugTaken) errors.companySlug = "That address is taken; choose another.";
  if (emailTaken) errors.email = "An account with this email already exists. Sign in instead.";
  if (Object.keys(errors).length) throw new FormError(errors);

  const companyId = newId();
  const userId = newId();
  const solo = input.accountType === "solo";
  const roomRows = presetRooms(input.accountType).map((preset) => ({ ...preset, id: newId(), companyId }));
  const passwordHash = await hashPassword(input.password);

  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db.insert(companies).values({ id: companyId, slug: input.companySlug, name: input.companyName, accountType: input.accountType, plan }),
    db.insert(users).values({
      id: userId,
      companyId,
      email: input.email,
      name: input.name,
      handle: handleFrom(input.name),
      passwordHash,
      isAdmin: true,
      isAgent: solo,
    }),
    // One statement per room: D1 binds at most 100 parameters per query.
    ...roomRows.map((room) => db.insert(rooms).values(room)),
    db.insert(agentProfiles).values({ userId, privateRoomId: roomRows[solo ? 1 : 0]!.id }),
    auditInsert(db, { companyId, userId, action: "account.created", detail: { accountType: input.accountType } }),
  ];
  if (solo) statements.push(db.insert(roomAgents).values(roomRows.map((r) => ({ roomId: r.id, userId }))));
  try {
    await db.batch(statements);
  } catch (err) {
    // Two sign-ups racing for one address: the loser gets the same answer as a late one.
    const text = String(err);
    if (text.includes("companies.slug")) throw new FormError({ companySlug: "That address is taken; choose another." });
    if (text.includes("users.email")) throw new FormError({ email: "An account with this email already exists. Sign in instead." });
    throw err;
  }
  return { companyId, userId };
}
