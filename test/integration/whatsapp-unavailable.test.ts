import { describe, expect, it } from "vitest";
import { Browser } from "./client";
import { liveCompany, setRoom } from "./live";

describe("GET /c/{company}/{room}/whatsapp with no one to take it", () => {
  it("names the company as the room's contact form does, not the account behind it", async () => {
    await liveCompany("wa-names", { agents: [] });
    await setRoom("wa-names", "GENERAL", "form_company_name = 'Harbour Dental', button_whatsapp_hidden = 0");
    const res = await new Browser().get("/c/wa-names/GENERAL/whatsapp");
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain("No one at Harbour Dental is taking WhatsApp chats right now.");
    expect(html).not.toContain("wa-names Ltd");
  });
});
