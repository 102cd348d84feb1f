// GET /v1/events and /v1/events/:id — a webhook handler may re-fetch an event to be sure of it.
import type { Ctx } from "../context";
import { id } from "../context";
import { noSuch } from "../errors";
import { list, str } from "../form";
import type { StripeEvent } from "../types";

function visible(ctx: Ctx, event: StripeEvent): boolean {
  return (event.account ?? null) === ctx.account;
}

export function retrieveEvent(ctx: Ctx): StripeEvent {
  const event = ctx.store.state.events.find((e) => e.id === id(ctx));
  if (!event || !visible(ctx, event)) throw noSuch("event", id(ctx));
  return event;
}

export function listEvents(ctx: Ctx): unknown {
  const type = str(ctx.params, "type");
  const types = ctx.params.types === undefined ? undefined : list(ctx.params, "types");
  const matches = (t: string) => (!type || (type.endsWith(".*") ? t.startsWith(type.slice(0, -1)) : t === type)) && (!types || types.includes(t));
  const items = ctx.store.state.events.filter((e) => visible(ctx, e) && matches(e.type));
  return ctx.store.list(items, ctx.params, "/v1/events", ["type", "types", "delivery_success"]);
}
