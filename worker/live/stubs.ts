/**
 * Stubs by object name, one per object, kept while the calling object lives: its calls through
 * one stub reach that object in the order made, and a stub made per call is a few runtime
 * objects more for the garbage collector to sweep (the longest pauses of the Worker's thread
 * under load, BENCHMARKS.md).
 */
export function stubsByName<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>): (name: string) => DurableObjectStub<T> {
  const stubs = new Map<string, DurableObjectStub<T>>();
  return (name) => {
    let stub = stubs.get(name);
    if (!stub) stubs.set(name, (stub = namespace.get(namespace.idFromName(name))));
    return stub;
  };
}

// The objects by their names: a chat by its id, a room by its key, an agent by their user id, a
// company's consoles by the company's id and a shard of its agents. Typed by the bindings
// (worker-configuration.d.ts).
export const chatObject = (env: Env, chatId: string) => env.CHAT.get(env.CHAT.idFromName(chatId));
export const roomObject = (env: Env, roomKey: string) => env.ROOM.get(env.ROOM.idFromName(roomKey));
export const agentObject = (env: Env, agentId: string) => env.AGENT.get(env.AGENT.idFromName(agentId));
export const consolesObject = (env: Env, companyId: string, agentId: string) => env.CONSOLES.get(env.CONSOLES.idFromName(consolesName(companyId, agentId)));

/**
 * A company's console sockets are spread over this many ConsolesDOs by agent id: one object sends
 * a chat's ring to each of its consoles in turn (55–130 µs of its thread per console here, BENCHMARKS.md
 * "Scale"), so one object for every console of a 2,000-agent company would stop well short of 20
 * new chats a second. A room rings the shards of the agents it rings, side by side. Changing the
 * count moves agents to other shards: it takes a deploy, which reconnects every console anyway.
 */
export const CONSOLE_SHARDS = 4;

/** The name of the ConsolesDO holding an agent's consoles: the company's id, and the shard after it past the first. */
export function consolesName(companyId: string, agentId: string): string {
  // FNV-1a: the same agent lands on the same shard from every caller.
  let hash = 0x811c9dc5;
  for (let i = 0; i < agentId.length; i++) hash = Math.imul(hash ^ agentId.charCodeAt(i), 0x01000193);
  const shard = (hash >>> 0) % CONSOLE_SHARDS;
  return shard === 0 ? companyId : `${companyId}/${shard}`;
}
