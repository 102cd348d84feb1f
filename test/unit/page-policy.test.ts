import { describe, expect, it } from "vitest";
import { pageKind } from "../../worker/http/page-policy";

const CHAT = "/chats/2b1c3d4e-0000-4000-8000-000000000000";

describe("kinds of page", () => {
  it("holds calls on the agent console and the customer's chat page only", () => {
    for (const path of ["/agent", "/agent/", CHAT]) expect(pageKind(path).calls, path).toBe(true);
    for (const path of ["/agent/profile", "/agent/chats/x", `${CHAT}/card`, "/admin", "/c/acme/GENERAL", "/login"]) expect(pageKind(path).calls, path).toBe(false);
  });

  it("takes cards on a chat's page, its card and hold pages, the returns from 3-D Secure and an invoice's Pay Now", () => {
    for (const suffix of ["", "/card", "/hold", "/authorise", "/authenticated", "/invoices/2/pay", "/invoices/2/authenticated"]) {
      expect(pageKind(`${CHAT}${suffix}`).payment, suffix).toBe(true);
    }
    for (const path of [`${CHAT}/ws`, `${CHAT}/requests/new`, "/admin/payments", "/chat-records", "/agent"]) expect(pageKind(path).payment, path).toBe(false);
  });
});
