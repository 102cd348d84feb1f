// Which URLs an endpoint may have. In production: https to a public host, never a private,
// loopback or link-local address (Parley must not become a way into anyone's internal network).
// Locally (ENVIRONMENT=local or test) http://localhost and 127.0.0.1 are allowed too, for a
// receiver on the developer's machine. Hostnames are judged by name: Workers resolve no DNS
// themselves, and Cloudflare's network does not route to private addresses.

export type UrlCheck = { ok: true; url: string } | { ok: false; error: string };

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

const ipv4 = (host: string): [number, number] | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  return m ? [Number(m[1]), Number(m[2])] : null;
};

/** 0/8, 10/8, 100.64/10 (carrier NAT), 127/8, 169.254/16, 172.16/12, 192.168/16, and multicast and above. */
function internalIpv4([a, b]: [number, number]): boolean {
  return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || a >= 224;
}

/** ::, ::1, fc00::/7 (unique local), fe80::/10 (link-local), and IPv4-mapped forms of internal addresses. */
function internalIpv6(host: string): boolean {
  const h = host.slice(1, -1).toLowerCase();
  if (h === "::" || h === "::1") return true;
  if (/^f[cd]/.test(h) || /^fe[89ab]/.test(h)) return true;
  const mapped = /^::ffff:(.+)$/.exec(h)?.[1];
  if (mapped) {
    const v4 = ipv4(mapped);
    // The URL parser writes a mapped address as hex (::ffff:7f00:1): every mapped address is refused then.
    return v4 ? internalIpv4(v4) : true;
  }
  return false;
}

/** True for a host that names the machine itself or an internal network. */
export function internalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
  if (host.startsWith("[")) return internalIpv6(host);
  const v4 = ipv4(host);
  if (v4) return internalIpv4(v4);
  // Other numeric forms (2130706433, 0x7f.1) are what the URL parser already turned into dotted ones.
  return false;
}

/** Checks an endpoint URL as the admin typed it; `local` for a developer's own server. */
export function checkEndpointUrl(raw: string, local: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, error: "Enter a full URL, such as https://example.com/parley/webhooks." };
  }
  if (url.username || url.password) return { ok: false, error: "Leave the user name and password out of the URL." };
  if (raw.trim().length > 2000) return { ok: false, error: "The URL is too long (at most 2,000 characters)." };
  const loopback = LOOPBACK_NAMES.has(url.hostname);
  if (local && loopback && (url.protocol === "http:" || url.protocol === "https:")) return { ok: true, url: url.href };
  if (url.protocol !== "https:") return { ok: false, error: local ? "Use an https:// URL (http:// only for localhost)." : "Use an https:// URL." };
  if (internalHost(url.hostname)) return { ok: false, error: "That address is on a private network; use a public one." };
  return { ok: true, url: url.href };
}
