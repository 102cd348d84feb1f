// Which website embeds a room: the origin a browser names when it fetches the embed script from a
// page (Origin, or the Referer that the default referrer policy cuts to the origin across sites).

/** The other website's origin this request came from, or null (ours, none, or not a web page). */
export function embeddingOrigin(headers: { origin?: string; referer?: string }, ours: string): string | null {
  for (const value of [headers.origin, headers.referer]) {
    if (!value) continue;
    try {
      const url = new URL(value);
      if ((url.protocol === "https:" || url.protocol === "http:") && url.origin !== ours) return url.origin;
    } catch {
      // Not a URL ("null", garbage): says nothing about the site.
    }
  }
  return null;
}
