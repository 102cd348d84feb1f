// Expected failures carry a code and an HTTP status; `app.onError` turns them into a page or JSON.
export type ErrorCode =
  | "bad_request"
  | "unauthorised"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "too_many_requests"
  | "csrf"
  | "unavailable"
  | "length_required"
  | "too_large"
  | "unsupported_media_type";

type Status = 400 | 401 | 403 | 404 | 409 | 410 | 411 | 413 | 415 | 429 | 503;

const STATUS: Record<ErrorCode, Status> = {
  bad_request: 400,
  unauthorised: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_many_requests: 429,
  csrf: 403,
  unavailable: 503,
  length_required: 411,
  too_large: 413,
  unsupported_media_type: 415,
};

export class AppError extends Error {
  readonly status: Status;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = "page") => new AppError("not_found", `We could not find that ${what}.`);
export const forbidden = () => new AppError("forbidden", "You do not have access to this.");
