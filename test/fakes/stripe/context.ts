// What a resource handler gets: the parsed parameters, the account the request acts on, and the
// store. Handlers return the Stripe object (the router copies and expands it) or throw a
// StripeFault.
import type { FormHash } from "./form";
import type { Store } from "./store";

export interface Ctx {
  store: Store;
  params: FormHash;
  /** The `Stripe-Account` header: the connected account acted on, or null for the platform. */
  account: string | null;
  method: string;
  path: string;
  /** Captures of the route pattern (object ids from the URL). */
  ids: string[];
  /** Authenticated with a publishable key (only client-side calls are allowed). */
  publishable: boolean;
  /** The request's Stripe-Version (or the fake's default): some parameters depend on it. */
  apiVersion: string;
}

export type Handler = (ctx: Ctx) => unknown;

export function id(ctx: Ctx, index = 0): string {
  return ctx.ids[index] ?? "";
}
