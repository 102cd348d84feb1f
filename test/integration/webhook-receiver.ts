import type { Received } from "../fakes/webhook-receiver";

// What the fake integrator's endpoint (test/fakes/webhook-receiver.ts) received, read at
// http://receiver.fake: the requests Parley posted to one path.

export const received = async (path: string): Promise<Received[]> => (await fetch(`http://receiver.fake/_received?path=${encodeURIComponent(path)}`)).json();

/** Waits up to 5 s for the receiver to have `count` requests at `path` (the real queue delivers them). */
export async function untilReceived(path: string, count = 1): Promise<Received[]> {
  for (let i = 0; i < 100; i++) {
    const got = await received(path);
    if (got.length >= count) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing reached ${path}`);
}
