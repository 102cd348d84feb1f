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
// company's consoles by the company's id. Typed by the bindings (worker-configuration.d.ts).
export const chatObject = (env: Env, chatId: string) => env.CHAT.get(env.CHAT.idFromName(chatId));
export const roomObject = (env: Env, roomKey: string) => env.ROOM.get(env.ROOM.idFromName(roomKey));
export const agentObject = (env: Env, agentId: string) => env.AGENT.get(env.AGENT.idFromName(agentId));
export const consolesObject = (env: Env, companyId: string) => env.CONSOLES.get(env.CONSOLES.idFromName(companyId));
