// Balance transactions: every movement of money on an account's Stripe balance — a captured
// charge (with Stripe's fee and, on Connect, the application fee in `fee_details`), a refund, a
// dispute's withdrawal and its fee, an application fee the platform earns, a transfer it sends.
import type { Ctx } from "../context";
import { id } from "../context";
import { oneOf, str } from "../form";
import { newId } from "../ids";
import type { Store } from "../store";
import type { BalanceTransaction } from "../types";

export function balanceTransaction(
  store: Store,
  account: string | null,
  fields: Pick<BalanceTransaction, "amount" | "currency" | "source" | "type" | "reporting_category" | "description"> & {
    fee_details?: BalanceTransaction["fee_details"];
  },
): BalanceTransaction {
  const feeDetails = fields.fee_details ?? [];
  const fee = feeDetails.reduce((sum, f) => sum + f.amount, 0);
  const created = store.now();
  const txn: BalanceTransaction = {
    id: newId("txn"),
    object: "balance_transaction",
    amount: fields.amount,
    available_on: created + 2 * 24 * 3600,
    created,
    currency: fields.currency,
    description: fields.description,
    exchange_rate: null,
    fee,
    fee_details: feeDetails,
    net: fields.amount - fee,
    reporting_category: fields.reporting_category,
    source: fields.source,
    status: "pending",
    type: fields.type,
  };
  return store.put("balanceTransactions", txn, account);
}

export function retrieveBalanceTransaction(ctx: Ctx): BalanceTransaction {
  return ctx.store.need("balanceTransactions", id(ctx), ctx.account, "balance transaction");
}

const TYPES = ["charge", "payment", "refund", "application_fee", "transfer", "adjustment"] as const;

/** `GET /v1/balance_transactions`: the account's, newest first; by `created`, `type`, `source`, `currency`. */
export function listBalanceTransactions(ctx: Ctx): unknown {
  const type = oneOf(ctx.params, "type", TYPES);
  const source = str(ctx.params, "source");
  const currency = str(ctx.params, "currency")?.toLowerCase();
  const items = ctx.store
    .on("balanceTransactions", ctx.account)
    .filter((t) => (!type || t.type === type) && (!source || t.source === source) && (!currency || t.currency === currency));
  return ctx.store.list(items, ctx.params, "/v1/balance_transactions", ["type", "source", "currency"]);
}
