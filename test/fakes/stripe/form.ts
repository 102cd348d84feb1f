// Stripe's v1 API takes application/x-www-form-urlencoded bodies with bracket notation:
// `metadata[chat_id]=7`, `transfer_data[destination]=acct_1`, `expand[]=latest_charge` or
// `expand[0]=latest_charge` (stripe-node sends indexed arrays). This module turns such a body
// into nested values and offers strict readers that fail with Stripe's own error messages, so
// a typo in the product's parameters fails here instead of in production.
import { invalidRequest, parameterMissing, unknownParameter } from "./errors";

export type FormValue = string | FormValue[] | FormHash;
export interface FormHash {
  [key: string]: FormValue;
}

/** `a[b][]` → ["a", "b", ""]; a key without brackets is one segment. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key.slice(open)))) segments.push(m[1] ?? "");
  return segments;
}

export function decodeForm(encoded: string): FormHash {
  const root: FormHash = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = splitKey(key);
    let node: FormHash | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] ?? "";
      const last = i === path.length - 1;
      const nextIsArray = !last && (path[i + 1] === "" || /^\d+$/.test(path[i + 1] ?? ""));
      if (Array.isArray(node)) {
        // `x[]=` appends; `x[3]=` writes that index (stripe-node sends 0, 1, 2… in order).
        const index = segment === "" ? node.length : Number(segment);
        if (last) node[index] = value;
        else {
          node[index] ??= nextIsArray ? [] : {};
          node = node[index] as FormHash | FormValue[];
        }
      } else {
        if (last) node[segment] = value;
        else {
          const existing = node[segment];
          if (existing === undefined || typeof existing === "string") node[segment] = nextIsArray ? [] : {};
          node = node[segment] as FormHash | FormValue[];
        }
      }
    }
  }
  return root;
}

/** Rejects any top-level parameter the endpoint does not take, as Stripe does. */
export function allowOnly(params: FormHash, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) if (!allowed.includes(key)) throw unknownParameter(key);
}

/** Same for the keys of a nested hash such as `transfer_data`. */
export function allowOnlyNested(params: FormHash, name: string, allowed: readonly string[]): void {
  const value = params[name];
  if (value === undefined || typeof value === "string") return;
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw unknownParameter(`${name}[${key}]`);
}

export function str(params: FormHash, name: string, required = false): string | undefined {
  const value = params[name];
  if (value === undefined || value === "") {
    if (required) throw parameterMissing(name);
    return undefined;
  }
  if (typeof value !== "string") throw invalidRequest(`Invalid string: ${name} must be a string`, { param: name });
  return value;
}

/** True when the parameter was sent as an empty string, Stripe's way of unsetting a field. */
export function isEmpty(params: FormHash, name: string): boolean {
  return params[name] === "";
}

export function int(params: FormHash, name: string, options: { required?: boolean; min?: number } = {}): number | undefined {
  const raw = str(params, name, options.required);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidRequest(`Invalid integer: ${raw}`, { param: name });
  const value = Number(raw);
  if (options.min !== undefined && value < options.min)
    throw invalidRequest(`This value must be greater than or equal to ${options.min}.`, { param: name });
  return value;
}

export function bool(params: FormHash, name: string): boolean | undefined {
  const raw = str(params, name);
  if (raw === undefined) return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw invalidRequest(`Invalid boolean: ${raw}`, { param: name });
}

export function oneOf<T extends string>(params: FormHash, name: string, values: readonly T[], required = false): T | undefined {
  const raw = str(params, name, required);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    const list = values.length > 1 ? `${values.slice(0, -1).join(", ")}, or ${values[values.length - 1]}` : values[0];
    throw invalidRequest(`Invalid ${name}: must be one of ${list}`, { param: name });
  }
  return raw as T;
}

export function hash(params: FormHash, name: string): FormHash | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string") throw invalidRequest(`Invalid object`, { param: name });
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  return value;
}

export function list(params: FormHash, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value === "string") throw invalidRequest(`Invalid array`, { param: name });
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.map((item) => {
    if (typeof item !== "string") throw invalidRequest(`Invalid array`, { param: name });
    return item;
  });
}

export type Metadata = Record<string, string>;

/**
 * Metadata as Stripe applies it: on create the given keys; on update a merge where an empty value
 * deletes the key and `metadata=` (empty) clears everything. At most 50 keys, keys up to 40
 * characters, values up to 500.
 */
export function applyMetadata(current: Metadata, params: FormHash): Metadata {
  if (params.metadata === undefined) return current;
  if (params.metadata === "") return {};
  const given = hash(params, "metadata") ?? {};
  const next: Metadata = { ...current };
  for (const [key, value] of Object.entries(given)) {
    if (typeof value !== "string") throw invalidRequest(`Invalid metadata[${key}]: must be a string`, { param: `metadata[${key}]` });
    if (key.length > 40) throw invalidRequest(`Metadata keys can have a maximum length of 40 characters.`, { param: `metadata[${key}]` });
    if (value.length > 500) throw invalidRequest(`Metadata values can have a maximum length of 500 characters.`, { param: `metadata[${key}]` });
    if (value === "") delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) throw invalidRequest(`You can have at most 50 metadata keys.`, { param: "metadata" });
  return next;
}

/** A stable fingerprint of the parameters, to tell an idempotent replay from a reused key. */
export function canonical(value: FormValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(",")}}`;
}
