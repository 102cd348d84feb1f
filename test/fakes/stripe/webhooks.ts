// Webhooks as Stripe sends them: the event as pretty-printed JSON, signed in the
// `Stripe-Signature` header as `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with
// the endpoint secret>`. Signing uses WebCrypto only, so it runs in Node and in workerd.
import type { Store } from "./store";
import type { DeliveryRecord, StripeEvent } from "./types";

export type FetchLike = (input: Request | string, init?: RequestInit) => Promise<Response>;

export interface WebhookEndpoint {
  url: string;
  secret: string;
  /** How to reach it (default: global fetch) — e.g. `(req) => SELF.fetch(req)` in workerd tests. */
  fetch?: FetchLike;
}

export interface SignedWebhook {
  /** The exact bytes to POST; verify the signature against this string, not a re-serialisation. */
  body: string;
  /** The `Stripe-Signature` header value. */
  signature: string;
  headers: Record<string, string>;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signPayload(payload: string, secret: string, timestamp: number): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${payload}`));
  return `t=${timestamp},v1=${hex(mac)}`;
}

export async function signEvent(event: StripeEvent, secret: string, timestamp: number): Promise<SignedWebhook> {
  const body = JSON.stringify(event, null, 2);
  const signature = await signPayload(body, secret, timestamp);
  return {
    body,
    signature,
    headers: { "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signature, "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
  };
}

/**
 * Delivers events to endpoints, each event once per endpoint URL unless it failed (a failed one
 * is retried by the next deliverTo/flush, as Stripe retries). Deliveries run one at a time, in
 * event order.
 */
export class WebhookDispatcher {
  readonly endpoints: WebhookEndpoint[] = [];
  private readonly delivered = new Map<string, Set<string>>();
  private chain: Promise<unknown> = Promise.resolve();

  private readonly store: Store;
  private readonly defaultFetch: FetchLike | undefined;

  constructor(store: Store, defaultFetch: FetchLike | undefined) {
    this.store = store;
    this.defaultFetch = defaultFetch;
  }

  reset(): void {
    this.delivered.clear();
  }

  /** Queue automatic delivery of a new event to every registered endpoint. */
  schedule(event: StripeEvent): void {
    for (const endpoint of this.endpoints) {
      // After the API response, like Stripe (and never inside the request that caused it).
      this.chain = this.chain.then(() => new Promise((resolve) => setTimeout(resolve, 0))).then(() => this.deliverOne(event, endpoint));
    }
  }

  /** Resolves when every queued delivery has been attempted. */
  async flush(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  /** Sends every event not yet delivered to `endpoint.url`, oldest first. */
  async deliverPending(endpoint: WebhookEndpoint, filter: (event: StripeEvent) => boolean = () => true): Promise<DeliveryRecord[]> {
    const run = async () => {
      const records: DeliveryRecord[] = [];
      for (const event of [...this.store.state.events]) {
        if (!filter(event) || this.delivered.get(endpoint.url)?.has(event.id)) continue;
        records.push(await this.deliverOne(event, endpoint));
      }
      return records;
    };
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async deliverOne(event: StripeEvent, endpoint: WebhookEndpoint): Promise<DeliveryRecord> {
    const done = this.delivered.get(endpoint.url) ?? new Set<string>();
    this.delivered.set(endpoint.url, done);
    const record: DeliveryRecord = { event: event.id, type: event.type, url: endpoint.url, status: null, at: this.store.options.now() };
    if (done.has(event.id)) return record;
    const send = endpoint.fetch ?? this.defaultFetch ?? ((input: Request | string, init?: RequestInit) => fetch(input, init));
    try {
      const signed = await signEvent(event, endpoint.secret, Math.floor(this.store.options.now() / 1000));
      const response = await send(new Request(endpoint.url, { method: "POST", headers: signed.headers, body: signed.body }));
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      if (response.ok) done.add(event.id);
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
    this.store.state.deliveries.push(record);
    return record;
  }
}
