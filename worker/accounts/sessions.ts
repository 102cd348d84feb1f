// A signed-in browser holds a random session token in this cookie; D1 keeps only its hash
// (stores/sessions.ts).

export const SESSION_COOKIE = "parley_session";
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  handle: string;
  isAdmin: boolean;
  isAgent: boolean;
  companyId: string;
  companySlug: string;
  companyName: string;
  accountType: "solo" | "company";
  plan: "free" | "pro" | "enterprise";
};
