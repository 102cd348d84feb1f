/**
 * Whether every string in a parsed JSON value (keys too) is well-formed UTF-16. JSON may spell a
 * lone surrogate ("\\udfff"); relayed, it becomes invalid UTF-8, and every browser receiving it
 * drops its socket. Text from forms cannot carry one: its bytes are decoded, not unescaped.
 */
export function wellFormed(value: unknown): boolean {
  if (typeof value === "string") return value.isWellFormed();
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).every(([key, item]) => key.isWellFormed() && wellFormed(item));
  }
  return true;
}
