// An integrator's endpoint for the integration tests, reached at http://localhost/… through
// vitest.config.ts's outboundService. The path says how it answers: /ok/… 200, /fail/… 500,
// /slow/… after 6 s (past the Worker's 5 s timeout). It keeps every request it got; tests read
// them at GET http://receiver.fake/_received?path=… and clear them with DELETE.

export type Received = { path: string; headers: Record<string, string>; body: string };

export function createFakeReceiver() {
  const received: Received[] = [];
  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      if (url.hostname === "receiver.fake") {
        if (request.method === "DELETE") received.length = 0;
        const path = url.searchParams.get("path");
        return Response.json(received.filter((r) => !path || r.path === path));
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      received.push({ path: url.pathname, headers, body: await request.text() });
      if (url.pathname.startsWith("/fail/")) return new Response("Down for maintenance", { status: 500 });
      if (url.pathname.startsWith("/slow/")) await new Promise((r) => setTimeout(r, 6000));
      return new Response(`thanks ${"!".repeat(2000)}`, { status: 200 });
    },
  };
}
