// Stripe's error envelope: `{"error": {type, code, decline_code, message, param, doc_url, …}}`.
// Handlers throw a StripeFault; the router turns it into the HTTP response. The stripe-node
// client picks its error class from the status code (400/404 → StripeInvalidRequestError,
// 401 → StripeAuthenticationError, 402 → StripeCardError, 403 → StripePermissionError) and
// from `type` (idempotency_error → StripeIdempotencyError), so both must match Stripe's.

export type ErrorType = "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";

export interface StripeErrorBody {
  type: ErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

export class StripeFault extends Error {
  // Plain fields, not parameter properties: Node runs these files by stripping types only.
  readonly status: number;
  readonly body: StripeErrorBody;
  constructor(status: number, body: StripeErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;
}

export function invalidRequest(message: string, extra: { param?: string; code?: string; status?: number } = {}): StripeFault {
  const body: StripeErrorBody = { type: "invalid_request_error", message };
  if (extra.code) {
    body.code = extra.code;
    body.doc_url = docUrl(extra.code);
  }
  if (extra.param) body.param = extra.param;
  return new StripeFault(extra.status ?? 400, body);
}

export function parameterMissing(param: string): StripeFault {
  return invalidRequest(`Missing required param: ${param}.`, { param, code: "parameter_missing" });
}

export function unknownParameter(param: string): StripeFault {
  return invalidRequest(`Received unknown parameter: ${param}`, { param, code: "parameter_unknown" });
}

/** A missing object named in the URL is a 404; one named in a parameter is a 400, as Stripe does. */
export function noSuch(label: string, id: string, param?: string): StripeFault {
  return invalidRequest(`No such ${label}: '${id}'`, { param, code: "resource_missing", status: param ? 400 : 404 });
}

export function unexpectedState(message: string, param?: string): StripeFault {
  return invalidRequest(message, { code: "payment_intent_unexpected_state", param });
}
