// Header fields made safe: text from people folded onto one line, values of our own checked,
// words that are not ASCII encoded (RFC 2047). Nothing here can start a header of its own.

/**
 * Text from people (names, subjects) made fit for one header field: line breaks and other control
 * characters become spaces, so no one can start a header of their own.
 */
export const headerText = (value: string, max: number): string =>
  value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);

/** A display name goes between double quotes: those and backslashes are left out. */
export const displayName = (value: string): string => headerText(value.replace(/["\\]/g, ""), 100);

/** A header field value our own code made (an unsubscribe link): refused, not mended, if it could break the header. */
export function headerValue(value: string): string {
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) throw new Error(`A mail header may not hold control characters: ${JSON.stringify(value)}`);
  return value;
}

/** An alert's unsubscribe link as the List-Unsubscribe header wants it (RFC 2369). */
export function listUnsubscribe(url: string): string {
  // Checked before parsing: the URL parser would quietly drop a line break.
  const parsed = URL.canParse(headerValue(url)) ? new URL(url) : null;
  if (!parsed || !["https:", "http:", "mailto:"].includes(parsed.protocol)) throw new Error(`Not an unsubscribe link: ${url}`);
  return headerValue(`<${parsed.href}>`);
}

const ASCII = /^[\x20-\x7e]*$/;

/** A From field: the display name quoted when plain ASCII, else as RFC 2047 encoded words. */
export function mailbox(name: string, address: string): string {
  const clean = displayName(name);
  return `${ASCII.test(clean) ? `"${clean}"` : encodedWords(clean)} <${address}>`;
}

/**
 * RFC 2047 encoded words for text that is not plain ASCII, folded so that no line of the header
 * passes 78 characters; plain ASCII stays as it is.
 */
export function encodedWords(text: string): string {
  if (ASCII.test(text)) return text;
  const words: string[] = [];
  let chunk = "";
  const encoder = new TextEncoder();
  for (const char of text) {
    // 45 bytes make 60 characters of base64, which with "=?UTF-8?B?" and "?=" keeps a line short.
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  const base64 = (s: string) => btoa(String.fromCharCode(...encoder.encode(s)));
  return words.map((w) => `=?UTF-8?B?${base64(w)}?=`).join("\r\n ");
}
