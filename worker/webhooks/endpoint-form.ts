import * as z from "zod";
import { checkEndpointUrl } from "./endpoint-url";
import { WEBHOOK_EVENTS } from "./events";

// The admin's "Add endpoint" form: a URL Parley may post to here, and at least one event.

/** Checkboxes of one name come as a string when one is ticked, an array when more are. */
const ticked = (v: unknown) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : []);

export const endpointForm = (local: boolean) =>
  z.object({
    url: z.string({ error: "Enter the endpoint's URL." }).transform((raw, ctx) => {
      const checked = checkEndpointUrl(raw, local);
      if (checked.ok) return checked.url;
      ctx.addIssue({ code: "custom", message: raw.trim() ? checked.error : "Enter the endpoint's URL." });
      return z.NEVER;
    }),
    events: z.preprocess(ticked, z.array(z.enum(WEBHOOK_EVENTS, { error: "Choose events from the list." })).min(1, { error: "Choose at least one event." })).transform((v) => [...new Set(v)]),
  });
