import { env } from "cloudflare:test";
import { expect } from "vitest";
import { Browser, PASSWORD } from "./client";

// Set-ups and read-backs shared by the route tests. They read D1 directly, the way an auditor
// would, so a test can say "nothing changed" without trusting the code under test.

export const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;

export async function idOf(sql: string, ...args: unknown[]): Promise<string> {
  const row = await env.DB.prepare(sql).bind(...args).first<{ id: string }>();
  if (!row) throw new Error(`no row for: ${sql} ${JSON.stringify(args)}`);
  return row.id;
}

export const userId = (email: string) => idOf("select id from users where email = ?", email);

export const roomId = (companySlug: string, room: string) =>
  idOf("select r.id from rooms r join companies c on c.id = r.company_id where c.slug = ? and r.name = ?", companySlug, room);

/** Adds a room straight in D1, with the schema's defaults (the new-room form has tests of its own: rooms-admin.test.ts). */
export async function addRoom(companySlug: string, name: string, position = 10): Promise<string> {
  const id = crypto.randomUUID();
  await env.DB.prepare("insert into rooms (id, company_id, name, position) select ?, id, ?, ? from companies where slug = ?")
    .bind(id, name, position, companySlug)
    .run();
  return id;
}

/** Everything the agent staff pages can change about one person, for before/after comparisons. */
export async function agentSnapshot(email: string) {
  const user = await env.DB.prepare("select id, company_id, email, name, handle, password_hash, is_admin, is_agent, disabled from users where email = ?")
    .bind(email)
    .first();
  const rooms = await env.DB.prepare("select room_id from room_agents where user_id = ? order by room_id").bind(user?.id ?? "").all();
  return { user, rooms: rooms.results.map((r) => r.room_id) };
}

/** Row counts of every table of ours, to prove that a refused request wrote nothing. */
export async function tableCounts(): Promise<Record<string, number>> {
  const tables = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' and name != 'd1_migrations' order by name",
  ).all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of tables.results) out[name] = await count(`select count(*) n from "${name}"`);
  return out;
}

/** Signs in through the login form and checks that it worked. */
export async function signedIn(email: string, password = PASSWORD): Promise<Browser> {
  const browser = new Browser();
  const res = await browser.post("/login", { email, password }, { from: "/login" });
  expect(res.status, `sign-in of ${email}`).toBe(303);
  return browser;
}

/** Adds an agent through the Agent Staff Admin form and returns the new agent's id. */
export async function addAgent(
  admin: Browser,
  { name, email, password = PASSWORD, roomIds = [] }: { name: string; email: string; password?: string; roomIds?: string[] },
): Promise<string> {
  const res = await admin.post("/admin/agents", { name, email, password, roomIds }, { from: "/admin/agents/new" });
  expect(res.status, `adding agent ${email}`).toBe(303);
  return userId(email);
}

/** The message shown under a form field, if the field is marked invalid and points at it. */
export function errorNextTo(html: string, field: string): string | null {
  const input = html.match(new RegExp(`<input[^>]*\\bname="${field}"[^>]*>`))?.[0];
  if (!input || !input.includes('aria-invalid="true"') || !input.includes(`aria-describedby="f-${field}-error"`)) return null;
  return html.match(new RegExp(`<p class="error" id="f-${field}-error"[^>]*>([^<]*)</p>`))?.[1] ?? null;
}

/** The opening tag of the form control named `name`, or undefined when the page has none. */
export const control = (html: string, name: string) => html.match(new RegExp(`<(?:input|textarea)[^>]*\\bname="${name}"[^>]*>`))?.[0];
