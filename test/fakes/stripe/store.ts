// The fake's memory: Stripe objects by collection, which account each object lives on, the
// per-card behaviour of PaymentMethods, stored idempotent responses, and the event log.
//
// Connect: objects created with a `Stripe-Account` header live on that connected account and are
// invisible without the header (Stripe answers resource_missing), so every lookup is scoped to an
// account (`null` = the platform).
import type { CardProfile, Decline } from "./cards";
import { invalidRequest, noSuch } from "./errors";
import { allowOnly, hash, int, str, type FormHash } from "./form";
import { newId } from "./ids";
import type {
  Account,
  ApplicationFee,
  BalanceTransaction,
  Charge,
  CheckoutSession,
  Customer,
  DeliveryRecord,
  Dispute,
  Invoice,
  PaymentIntent,
  PaymentMethod,
  Price,
  Product,
  Refund,
  RequestRecord,
  StripeEvent,
  Subscription,
  Transfer,
} from "./types";

export interface Collections {
  customers: Customer;
  paymentIntents: PaymentIntent;
  paymentMethods: PaymentMethod;
  charges: Charge;
  refunds: Refund;
  accounts: Account;
  transfers: Transfer;
  applicationFees: ApplicationFee;
  balanceTransactions: BalanceTransaction;
  disputes: Dispute;
  products: Product;
  prices: Price;
  checkoutSessions: CheckoutSession;
  subscriptions: Subscription;
  invoices: Invoice;
}
export type CollectionName = keyof Collections;

/** Everything the fake holds, readable by tests (`fake.state.paymentIntents.get(id)`). */
export type FakeStripeState = { [K in CollectionName]: Map<string, Collections[K]> } & {
  /** Every event, oldest first, in Stripe's event shape. */
  events: StripeEvent[];
  /** Every API request answered, oldest first. */
  requests: RequestRecord[];
  /** Every webhook delivery attempt. */
  deliveries: DeliveryRecord[];
};

const COLLECTION_BY_PREFIX: Record<string, CollectionName> = {
  cus: "customers",
  pi: "paymentIntents",
  pm: "paymentMethods",
  ch: "charges",
  re: "refunds",
  acct: "accounts",
  tr: "transfers",
  fee: "applicationFees",
  txn: "balanceTransactions",
  dp: "disputes",
  prod: "products",
  price: "prices",
  cs: "checkoutSessions",
  sub: "subscriptions",
  in: "invoices",
};

/** What only the fake knows about a PaymentMethod: the test card behind it and its history. */
export interface PaymentMethodInternals {
  profile: CardProfile;
  /** Successful payments so far (for `declineAfterSuccesses`). */
  successes: number;
  /** Used in a payment without being attached to a customer (or detached): Stripe refuses reuse. */
  consumed: boolean;
  /** Authenticated in a payment with setup_future_usage: "unless_setup" cards then work off-session. */
  setUpForOffSession: boolean;
  /** A test's override of the card's outcome (see fake.setPaymentMethodOutcome). */
  override?: Decline | "authentication_required" | "succeeds";
}

/** A confirmation waiting for 3-D Secure: how it was asked for, to finish it the same way. */
export interface PendingAuthentication {
  returnUrl: string | null;
}

export interface IdempotentResponse {
  method: string;
  path: string;
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

export interface AccountLinkRecord {
  account: string;
  type: string;
  refreshUrl: string;
  returnUrl: string;
  expiresAt: number;
  used: boolean;
}

/** What a Checkout Session will subscribe to, which Stripe keeps but does not show on the session. */
export interface CheckoutInternals {
  items: { price: string; quantity: number }[];
  subscriptionMetadata: Record<string, string>;
}

export interface StoreOptions {
  now: () => number;
  apiVersion: string;
}

export class Store {
  readonly state: FakeStripeState = {
    customers: new Map(),
    paymentIntents: new Map(),
    paymentMethods: new Map(),
    charges: new Map(),
    refunds: new Map(),
    accounts: new Map(),
    transfers: new Map(),
    applicationFees: new Map(),
    balanceTransactions: new Map(),
    disputes: new Map(),
    products: new Map(),
    prices: new Map(),
    checkoutSessions: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    events: [],
    requests: [],
    deliveries: [],
  };
  readonly owner = new Map<string, string | null>();
  readonly paymentMethodInternals = new Map<string, PaymentMethodInternals>();
  readonly pendingAuthentication = new Map<string, PendingAuthentication>();
  readonly idempotency = new Map<string, IdempotentResponse>();
  readonly accountLinks = new Map<string, AccountLinkRecord>();
  readonly checkoutInternals = new Map<string, CheckoutInternals>();
  /** A test's refusal of transfers to an account: destination → error code (see fake.failTransfers). */
  readonly transferFailures = new Map<string, string>();
  /** Captures leave the balance transaction for later (see fake.deferBalanceTransactions). */
  deferBalanceTransactions = false;
  /** The request being answered, for the `request` field of the events it causes. */
  currentRequest: { id: string; idempotencyKey: string | null } | null = null;
  /** The fake's own origin, for URLs it hands out (3-D Secure page, onboarding, receipts). */
  baseUrl = "http://localhost:12111";
  /** Called for each new event (webhook auto-delivery). */
  onEvent: (event: StripeEvent) => void = () => {};
  /** Registered webhook endpoints, for the events' `pending_webhooks`. */
  webhookEndpointCount = () => 0;

  readonly options: StoreOptions;

  constructor(options: StoreOptions) {
    this.options = options;
  }

  /** Unix seconds, as Stripe's `created`. */
  now(): number {
    return Math.floor(this.options.now() / 1000);
  }

  reset(): void {
    for (const value of Object.values(this.state)) {
      if (value instanceof Map) value.clear();
      else value.length = 0;
    }
    this.owner.clear();
    this.paymentMethodInternals.clear();
    this.pendingAuthentication.clear();
    this.idempotency.clear();
    this.accountLinks.clear();
    this.checkoutInternals.clear();
    this.transferFailures.clear();
    this.deferBalanceTransactions = false;
  }

  put<K extends CollectionName>(name: K, object: Collections[K], account: string | null): Collections[K] {
    (this.state[name] as Map<string, Collections[K]>).set(object.id, object);
    this.owner.set(object.id, account);
    return object;
  }

  /** The object if it exists on this account. */
  get<K extends CollectionName>(name: K, id: string, account: string | null): Collections[K] | undefined {
    const object = (this.state[name] as Map<string, Collections[K]>).get(id);
    if (!object || this.owner.get(id) !== account) return undefined;
    return object;
  }

  /** The object or Stripe's resource_missing (404 for the URL's object, 400 for a parameter). */
  need<K extends CollectionName>(name: K, id: string, account: string | null, label: string, param?: string): Collections[K] {
    const object = this.get(name, id, account);
    if (!object) throw noSuch(label, id, param);
    return object;
  }

  /** Any object by id, whatever its account (used by test helpers and expansion). */
  byId(id: string): { name: CollectionName; object: Collections[CollectionName]; account: string | null } | undefined {
    const name = COLLECTION_BY_PREFIX[id.slice(0, id.indexOf("_"))];
    const object = name ? this.state[name].get(id) : undefined;
    if (!name || !object) return undefined;
    return { name, object, account: this.owner.get(id) ?? null };
  }

  /** A deep copy, so responses and events never change after they were sent. */
  snapshot<T>(value: T): T {
    return structuredClone(value);
  }

  /**
   * Records an event about `object`. Events about objects on a connected account carry
   * `account` (that is how Connect webhooks tell them apart); `options.account` sets it for
   * objects that live on the platform but concern a connected account (account.updated).
   */
  emit(type: string, object: { id: string }, options: { previous?: Record<string, unknown>; account?: string } = {}): StripeEvent {
    const account = options.account ?? this.owner.get(object.id) ?? null;
    const event: StripeEvent = {
      id: newId("evt"),
      object: "event",
      ...(account ? { account } : {}),
      api_version: this.options.apiVersion,
      created: this.now(),
      data: { object: this.snapshot(object), ...(options.previous ? { previous_attributes: this.snapshot(options.previous) } : {}) },
      livemode: false,
      pending_webhooks: this.webhookEndpointCount(),
      request: { id: this.currentRequest?.id ?? null, idempotency_key: this.currentRequest?.idempotencyKey ?? null },
      type,
    };
    this.state.events.push(event);
    this.onEvent(event);
    return event;
  }

  /**
   * `expand[]=latest_charge`, `expand[]=latest_charge.balance_transaction`,
   * `expand[]=data.payment_method` on lists: replaces ids by the objects, as Stripe does.
   */
  expand<T>(value: T, paths: string[] | undefined): T {
    for (const path of paths ?? []) {
      const segments = path.split(".");
      if (segments.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${path}`, { param: "expand" });
      this.expandPath(value, segments, path);
    }
    return value;
  }

  private expandPath(target: unknown, segments: string[], path: string): void {
    if (target === null) return;
    const [head, ...rest] = segments;
    if (head === undefined || typeof target !== "object" || !(head in (target as object)))
      throw invalidRequest(`This property cannot be expanded (${path}).`, { param: "expand" });
    const holder = target as Record<string, unknown>;
    let value = holder[head];
    if (typeof value === "string") {
      const found = this.byId(value);
      if (!found) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: "expand" });
      value = holder[head] = this.snapshot(found.object);
    }
    if (rest.length === 0 || value === null) return;
    if (Array.isArray(value)) for (const item of value) this.expandPath(item, rest, path);
    else this.expandPath(value, rest, path);
  }

  /**
   * Stripe's list envelope: newest first, `limit` (1–100, default 10), cursors by id, and
   * `created` (Unix seconds: exact, or `created[gt|gte|lt|lte]`) on objects that have it.
   */
  list<T extends { id: string }>(items: T[], params: FormHash, url: string, extraParams: readonly string[] = []) {
    allowOnly(params, ["limit", "starting_after", "ending_before", "expand", "created", ...extraParams]);
    const limit = int(params, "limit", { min: 1 }) ?? 10;
    if (limit > 100) throw invalidRequest("This value must be less than or equal to 100.", { param: "limit" });
    const newestFirst = [...items].filter(createdFilter(params)).reverse();
    const after = str(params, "starting_after");
    const before = str(params, "ending_before");
    let page: T[];
    let hasMore: boolean;
    if (before) {
      const end = newestFirst.findIndex((item) => item.id === before);
      if (end < 0) throw noSuch("object", before, "ending_before");
      const start = Math.max(0, end - limit);
      page = newestFirst.slice(start, end);
      hasMore = start > 0;
    } else {
      const start = after ? newestFirst.findIndex((item) => item.id === after) + 1 : 0;
      if (after && start === 0) throw noSuch("object", after, "starting_after");
      page = newestFirst.slice(start, start + limit);
      hasMore = start + limit < newestFirst.length;
    }
    return { object: "list" as const, data: page.map((item) => this.snapshot(item)), has_more: hasMore, url };
  }

  /** The objects of a collection that live on this account, oldest first. */
  on<K extends CollectionName>(name: K, account: string | null): Collections[K][] {
    return [...(this.state[name] as Map<string, Collections[K]>).values()].filter((o) => this.owner.get(o.id) === account);
  }
}

/** `created=<t>` or `created[gt|gte|lt|lte]=<t>` as a test on an object's `created`. */
function createdFilter(params: FormHash): (item: object) => boolean {
  if (params.created === undefined) return () => true;
  const bounds: FormHash = typeof params.created === "string" ? { eq: params.created } : (hash(params, "created") ?? {});
  allowOnly(bounds, ["eq", "gt", "gte", "lt", "lte"]);
  const [eq, gt, gte, lt, lte] = ["eq", "gt", "gte", "lt", "lte"].map((name) => int(bounds, name));
  return (item) => {
    const created = (item as { created?: unknown }).created;
    if (typeof created !== "number") return true;
    return (eq === undefined || created === eq) && (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
  };
}
