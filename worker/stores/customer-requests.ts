import { newId } from "../accounts/tokens";
import { customerRequests } from "../db/schema";
import type { Db } from "./db";

// What customers ask of a company outside a live chat: a message left by email, or an alert to
// be written to when an agent is free.

export type NewCustomerRequest = Omit<typeof customerRequests.$inferInsert, "id">;

export const saveCustomerRequest = (db: Db, request: NewCustomerRequest) => db.insert(customerRequests).values({ id: newId(), ...request });
