/**
 * A Durable Object's synchronous KV storage with a copy in memory of every value read or
 * written: the object alone writes its storage, and it writes here first, so the copy is
 * always what storage holds (and is gone with the object after an eviction). Rendering a
 * chat or a console reads a dozen small values, and decoding them from SQLite each time was
 * a good part of the Worker's time per chat.
 *
 * One value is now handed out many times, so it is read-only: change a copy and `put` it.
 * (Freezing the values enforced that, and a test run with it found the places that changed
 * them in place; it is not kept, as frozen objects made V8 slower than the reads saved.)
 */
export class CachedKv implements SyncKvStorage {
  readonly #storage: SyncKvStorage;
  readonly #values = new Map<string, unknown>();

  constructor(storage: SyncKvStorage) {
    this.#storage = storage;
  }

  get<T = unknown>(key: string): T | undefined {
    if (this.#values.has(key)) return this.#values.get(key) as T | undefined;
    const value = this.#storage.get<T>(key);
    this.#values.set(key, value);
    return value;
  }

  put<T>(key: string, value: T): void {
    this.#storage.put(key, value);
    this.#values.set(key, value);
  }

  delete(key: string): boolean {
    this.#values.set(key, undefined);
    return this.#storage.delete(key);
  }

  list<T = unknown>(options?: SyncKvListOptions): Iterable<[string, T]> {
    return this.#storage.list<T>(options);
  }
}
