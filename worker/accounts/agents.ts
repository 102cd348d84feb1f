import * as z from "zod";
import { FormError } from "./form-error";
import { emailField, passwordField, passwordNotFrom, personName } from "./validation";

// The admin's Agent Staff form and the rules of an edit; the agents themselves are kept in D1
// (stores/agents.ts).

// Checkbox lists arrive as a string (one box ticked), an array, or nothing; a hand-made form may
// repeat an id, which must not become a duplicate row.
const idList = z
  .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(64)).max(200))
  .transform((ids) => [...new Set(ids)]);

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

export const agentForm = z.object({
  name: personName,
  email: emailField,
  password: z.union([z.literal(""), passwordField]).optional(),
  roomIds: idList,
  disabled: checkbox,
  // Granted by the administrator only (spec: agent-private-profile "Service Charges").
  manualPaymentAllowed: checkbox,
});
/** The form for one company's agents: a password may not be built from the company's name either. */
export const agentFormFor = ({ companyName, companySlug }: { companyName: string; companySlug: string }) =>
  agentForm.superRefine(passwordNotFrom({ companyName, companySlug }));
// Callers other than the form (the demo seed) may leave manual payment out: it stays off.
export type AgentInput = Omit<z.infer<typeof agentForm>, "manualPaymentAllowed"> & { manualPaymentAllowed?: boolean };

export type AgentRow = {
  id: string;
  name: string;
  email: string;
  handle: string;
  isAdmin: boolean;
  disabled: boolean;
  manualPaymentAllowed: boolean;
  roomIds: string[];
};

export const emailTaken = () => new FormError({ email: "Someone already uses this email address." });

/** An admin may not disable their own account: nobody would be left to turn it back on. */
export function refusedEdit(adminId: string, agentId: string, input: AgentInput): FormError | null {
  return input.disabled && agentId === adminId ? new FormError({ disabled: "You cannot disable your own account." }) : null;
}

/** The names of what an edit changes, as the audit trail records them; manual payment as it will be saved. */
export function agentChanges(current: AgentRow, input: AgentInput, manualPaymentAllowed: boolean): string[] {
  const sameRooms = new Set(input.roomIds).size === current.roomIds.length && current.roomIds.every((r) => input.roomIds.includes(r));
  return [
    input.name !== current.name && "name",
    input.email !== current.email && "email",
    !!input.password && "password",
    !sameRooms && "rooms",
    input.disabled !== current.disabled && "disabled",
    manualPaymentAllowed !== current.manualPaymentAllowed && "manualPaymentAllowed",
  ].filter((k): k is string => !!k);
}
