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
