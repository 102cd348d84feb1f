/**
 * A Durable Object's WebSocket answer, re-wrapped so middleware may still add headers (the
 * object's own response has immutable headers). Refusals pass through as they are.
 */
export function relaySocket(res: Response): Response {
  if (res.status !== 101 || !res.webSocket) return new Response(res.body, res);
  return new Response(null, { status: 101, webSocket: res.webSocket });
}
