import { inject } from "vitest";

// The local mail catcher (maildev) the global setup runs beside the server, as the tests read it.

export const mailUrl = inject("mailUrl");

export type Caught = { id: string; subject: string; text: string; to: { address: string }[]; from: { address: string; name: string }[] };

/** The catcher's mail to `to` with this subject, once the queue delivered it. */
export async function delivered(to: string, subject: string): Promise<Caught> {
  for (let i = 0; i < 150; i++) {
    const all = (await (await fetch(`${mailUrl}/api/email`)).json()) as Caught[];
    const found = all.find((m) => m.subject === subject && m.to.some((t) => t.address === to));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail "${subject}" to ${to} in ${mailUrl}`);
}
