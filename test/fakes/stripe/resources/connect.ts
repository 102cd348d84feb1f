// Connect: connected accounts for companies and solo professionals, Account Links for Stripe's
// hosted onboarding, and transfers. An account starts unable to take charges; it becomes ready
// when onboarding is finished (the fake's onboarding page, or fake.completeOnboarding), which
// sends `account.updated` as Stripe does.
import type { Ctx } from "../context";
import { id } from "../context";
import { currencyParam } from "../currency";
import { invalidRequest } from "../errors";
import { allowOnly, applyMetadata, hash, int, oneOf, str, type Metadata } from "../form";
import { newId, randomToken } from "../ids";
import type { Store } from "../store";
import type { Account, AccountLink, CapabilityStatus, Transfer } from "../types";
import { balanceTransaction } from "./balance-transactions";
import { refundedTotal } from "./refunds";

const DEFAULT_CURRENCY: Record<string, string> = {
  US: "usd", GB: "gbp", JP: "jpy", CA: "cad", AU: "aud", CH: "chf", SE: "sek", NO: "nok", DK: "dkk", PL: "pln",
  CZ: "czk", HU: "huf", RO: "ron", BG: "bgn", SG: "sgd", HK: "hkd", NZ: "nzd", MX: "mxn", BR: "brl", IN: "inr",
};
const EURO = ["AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT", "SI", "SK"];

const ONBOARDING_DUE = [
  "business_profile.mcc",
  "business_profile.url",
  "external_account",
  "representative.first_name",
  "representative.last_name",
  "tos_acceptance.date",
  "tos_acceptance.ip",
];

export function createAccount(ctx: Ctx): Account {
  const { params, store } = ctx;
  allowOnly(params, [
    "type", "country", "email", "business_type", "capabilities", "business_profile", "metadata", "default_currency",
    "controller", "settings", "tos_acceptance", "company", "individual", "external_account", "expand",
  ]);
  if (ctx.account) throw invalidRequest("You cannot create connected accounts on a connected account.", { status: 400 });
  const type = oneOf(params, "type", ["standard", "express", "custom"]);
  if (!type && params.controller === undefined) throw invalidRequest("Missing required param: type.", { param: "type", code: "parameter_missing" });
  const country = (str(params, "country") ?? "US").toUpperCase();
  const requested = hash(params, "capabilities") ?? {};
  const capabilities: Record<string, CapabilityStatus> = {};
  for (const [name, value] of Object.entries(requested)) {
    if (typeof value === "object" && !Array.isArray(value) && value.requested === "true") capabilities[name] = "inactive";
  }
  // Standard accounts (and accounts created without an explicit list) can take cards and transfers.
  if (type === "standard" || Object.keys(capabilities).length === 0) {
    capabilities.card_payments = "inactive";
    capabilities.transfers = "inactive";
  }
  const profile = hash(params, "business_profile") ?? {};
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const account: Account = {
    id: newId("acct"),
    object: "account",
    business_profile: {
      mcc: text(profile.mcc),
      name: text(profile.name),
      product_description: text(profile.product_description),
      support_email: text(profile.support_email),
      url: text(profile.url),
    },
    business_type: oneOf(params, "business_type", ["individual", "company", "non_profit", "government_entity"]) ?? null,
    capabilities,
    charges_enabled: false,
    controller: type === "standard" ? { type: "account" } : { type: "application", is_controller: true },
    country,
    created: store.now(),
    default_currency: str(params, "default_currency")?.toLowerCase() ?? DEFAULT_CURRENCY[country] ?? (EURO.includes(country) ? "eur" : "usd"),
    details_submitted: false,
    email: str(params, "email") ?? null,
    metadata: applyMetadata({}, params),
    payouts_enabled: false,
    requirements: {
      current_deadline: null,
      currently_due: [...ONBOARDING_DUE],
      disabled_reason: "requirements.past_due",
      errors: [],
      eventually_due: [...ONBOARDING_DUE],
      past_due: [...ONBOARDING_DUE],
      pending_verification: [],
    },
    settings: { payouts: { schedule: { delay_days: 2, interval: "daily" } } },
    tos_acceptance: { date: null },
    type: type ?? "none",
  };
  store.put("accounts", account, null);
  return account;
}

export function retrieveAccount(ctx: Ctx): Account {
  return ctx.store.need("accounts", id(ctx), null, "account");
}

export function updateAccount(ctx: Ctx): Account {
  allowOnly(ctx.params, ["email", "metadata", "business_profile", "settings", "capabilities", "expand"]);
  const account = retrieveAccount(ctx);
  const previous: Record<string, unknown> = {};
  if (ctx.params.email !== undefined) {
    previous.email = account.email;
    account.email = str(ctx.params, "email") ?? null;
  }
  if (ctx.params.metadata !== undefined) {
    previous.metadata = account.metadata;
    account.metadata = applyMetadata(account.metadata, ctx.params);
  }
  const profile = hash(ctx.params, "business_profile");
  if (profile) {
    previous.business_profile = { ...account.business_profile };
    for (const key of ["mcc", "name", "product_description", "support_email", "url"] as const)
      if (typeof profile[key] === "string") account.business_profile[key] = profile[key] === "" ? null : (profile[key] as string);
  }
  ctx.store.emit("account.updated", account, { previous, account: account.id });
  return account;
}

export function listAccounts(ctx: Ctx): unknown {
  return ctx.store.list(ctx.store.on("accounts", null), ctx.params, "/v1/accounts");
}

/** Onboarding finished: the account can take charges and receive payouts. */
export function completeOnboarding(store: Store, accountId: string): Account {
  const account = store.state.accounts.get(accountId);
  if (!account) throw new Error(`fake Stripe: no account ${accountId}`);
  const previous = {
    charges_enabled: account.charges_enabled,
    payouts_enabled: account.payouts_enabled,
    details_submitted: account.details_submitted,
    capabilities: { ...account.capabilities },
    requirements: store.snapshot(account.requirements),
  };
  account.charges_enabled = true;
  account.payouts_enabled = true;
  account.details_submitted = true;
  for (const name of Object.keys(account.capabilities)) account.capabilities[name] = "active";
  account.requirements = { current_deadline: null, currently_due: [], disabled_reason: null, errors: [], eventually_due: [], past_due: [], pending_verification: [] };
  account.tos_acceptance.date = store.now();
  // Stripe sends account.updated for a connected account with `account` set (Connect webhooks).
  store.emit("account.updated", account, { previous, account: account.id });
  return account;
}

export function createAccountLink(ctx: Ctx): AccountLink {
  const { params, store } = ctx;
  allowOnly(params, ["account", "type", "refresh_url", "return_url", "collect", "collection_options", "expand"]);
  const accountId = str(params, "account", true) ?? "";
  const type = oneOf(params, "type", ["account_onboarding", "account_update"], true) ?? "account_onboarding";
  const refreshUrl = str(params, "refresh_url", true) ?? "";
  const returnUrl = str(params, "return_url", true) ?? "";
  for (const [param, url] of [["refresh_url", refreshUrl], ["return_url", returnUrl]] as const) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw invalidRequest("Not a valid URL", { param, code: "url_invalid" });
  }
  const account = store.need("accounts", accountId, null, "account", "account");
  if (type === "account_update" && account.type === "standard")
    throw invalidRequest("You cannot create `account_update` type Account Links for Standard accounts.", { param: "type" });
  const token = randomToken(24);
  const created = store.now();
  const link: AccountLink = { object: "account_link", created, expires_at: created + 300, url: `${store.baseUrl}/_fake/connect/onboarding/${token}` };
  store.accountLinks.set(token, { account: accountId, type, refreshUrl, returnUrl, expiresAt: link.expires_at, used: false });
  return link;
}

export function createLoginLink(ctx: Ctx): unknown {
  const account = retrieveAccount(ctx);
  if (account.type !== "express") throw invalidRequest("Cannot create a login link for an account that is not an Express account.", { param: "account" });
  return { object: "login_link", created: ctx.store.now(), url: `${ctx.store.baseUrl}/_fake/connect/dashboard/${account.id}` };
}

// ---- Transfers -----------------------------------------------------------------------------

export function makeTransfer(
  store: Store,
  fields: { amount: number; currency: string; destination: string; sourceTransaction: string | null; transferGroup: string | null; description: string | null; metadata: Metadata },
): Transfer {
  const transfer: Transfer = {
    id: newId("tr"),
    object: "transfer",
    amount: fields.amount,
    amount_reversed: 0,
    balance_transaction: null,
    created: store.now(),
    currency: fields.currency,
    description: fields.description,
    destination: fields.destination,
    destination_payment: newId("py"),
    livemode: false,
    metadata: fields.metadata,
    reversed: false,
    source_transaction: fields.sourceTransaction,
    source_type: "card",
    transfer_group: fields.transferGroup,
  };
  transfer.balance_transaction = balanceTransaction(store, null, {
    amount: -fields.amount,
    currency: fields.currency,
    source: transfer.id,
    type: "transfer",
    reporting_category: "transfer",
    description: fields.description,
  }).id;
  store.put("transfers", transfer, null);
  store.emit("transfer.created", transfer);
  return transfer;
}

/** Stripe refuses money movements to an account that cannot receive transfers yet. */
export function checkCanReceiveTransfers(store: Store, accountId: string, param: string, strict: boolean): void {
  const account = store.need("accounts", accountId, null, "account", param);
  if (strict && account.capabilities.transfers !== "active")
    throw invalidRequest(
      "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
      { param, code: "insufficient_capabilities_for_transfer" },
    );
}

const TRANSFER_REFUSALS: Record<string, string> = {
  balance_insufficient:
    "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.",
  account_invalid: "The destination account is no longer able to receive transfers.",
};

/** Stripe's answer to a transfer it will not make (a test's failTransfers). */
const transferRefused = (code: string) => invalidRequest(TRANSFER_REFUSALS[code] ?? `The transfer could not be made (${code}).`, { code });

export function createTransfer(ctx: Ctx, strict: boolean): Transfer {
  const { params, store } = ctx;
  allowOnly(params, ["amount", "currency", "destination", "description", "metadata", "source_transaction", "transfer_group", "expand"]);
  if (ctx.account) throw invalidRequest("Transfers to connected accounts are made from the platform, without a Stripe-Account header.");
  const amount = int(params, "amount", { required: true, min: 1 }) ?? 0;
  const currency = currencyParam(str(params, "currency", true) ?? "");
  const destination = str(params, "destination", true) ?? "";
  checkCanReceiveTransfers(store, destination, "destination", strict);
  const failure = store.transferFailures.get(destination);
  if (failure) throw transferRefused(failure);
  const source = str(params, "source_transaction");
  if (source) {
    const charge = store.need("charges", source, null, "charge", "source_transaction");
    const alreadyTransferred = store.on("transfers", null).filter((t) => t.source_transaction === source).reduce((s, t) => s + t.amount - t.amount_reversed, 0);
    if (!charge.captured || amount > charge.amount_captured - refundedTotal(store, charge.id) - alreadyTransferred)
      throw invalidRequest("Insufficient funds in the source transaction for this transfer.", { param: "amount", code: "balance_insufficient" });
    if (charge.currency !== currency) throw invalidRequest("The currency of source_transaction's balance transaction must match the transfer currency.", { param: "currency" });
  }
  return makeTransfer(store, {
    amount,
    currency,
    destination,
    sourceTransaction: source ?? null,
    transferGroup: str(params, "transfer_group") ?? null,
    description: str(params, "description") ?? null,
    metadata: applyMetadata({}, params),
  });
}

export function retrieveTransfer(ctx: Ctx): Transfer {
  return ctx.store.need("transfers", id(ctx), null, "transfer");
}

export function listTransfers(ctx: Ctx): unknown {
  const destination = str(ctx.params, "destination");
  const group = str(ctx.params, "transfer_group");
  const items = ctx.store.on("transfers", null).filter((t) => (!destination || t.destination === destination) && (!group || t.transfer_group === group));
  return ctx.store.list(items, ctx.params, "/v1/transfers", ["destination", "transfer_group"]);
}
