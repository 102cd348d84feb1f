import type { Server } from "node:http";
import type { FakeStripe, FakeStripeOptions } from "../test/fakes/stripe";

/** Starts the fake Stripe API on a port (0 = any free port) of 127.0.0.1 (or options.host); `stateFile` keeps its memory between runs. */
export function startFakeStripe(
  port?: number,
  options?: FakeStripeOptions & { host?: string; stateFile?: string },
): Promise<{ url: string; close: () => Promise<void>; fake: FakeStripe; server: Server }>;
