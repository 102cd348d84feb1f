// Mail as the catcher (maildev, started by mail-setup.ts) received it, read over its REST API at
// http://mail.fake (vitest.config.ts routes that host to it). The inbox is shared by every test
// file: look mail up by a recipient or subject of the test's own.

export type Caught = { id: string; subject: string; text: string; html: string; to: { address: string }[]; from: { address: string; name: string }[] };

/** The catcher's mail to `to`, waiting a moment (up to 2 s) until at least `expected` are there. */
export async function inbox(to: string, expected = 1): Promise<Caught[]> {
  for (let i = 0; ; i++) {
    const all = await (await fetch("http://mail.fake/api/email")).json<Caught[]>();
    const mine = all.filter((m) => m.to.some((t) => t.address === to));
    if (mine.length >= expected || i === 20) return mine;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A mail as the catcher received it, headers and all. */
export const source = async (id: string) => (await fetch(`http://mail.fake/api/email/${id}/source`)).text();

/** The first mail to `to` with this subject, waiting up to 5 s for the queue to deliver it. */
export async function mailTo(to: string, subject: string): Promise<Caught | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = (await inbox(to, 0)).find((m) => m.subject === subject);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
