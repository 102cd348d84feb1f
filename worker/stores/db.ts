import { drizzle } from "drizzle-orm/d1";
import * as schema from "../db/schema";

// The D1 database as drizzle sees it, for every store of this folder.

export type Db = ReturnType<typeof drizzle<typeof schema>>;

/** True when a domain's plain type and a table's row have the same columns, of the same types. */
export type SameColumns<Plain, Row> = [Plain] extends [Row] ? ([Row] extends [Plain] ? true : false) : false;
/** Compiles only when given true: `type RoomRow = Checked<SameColumns<Room, typeof rooms.$inferSelect>>`. */
export type Checked<T extends true> = T;

/** `build`, run once per key (a binding or a database) and then remembered while the key lives. */
function oncePer<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const built = new WeakMap<K, V>();
  return (key) => {
    if (!built.has(key)) built.set(key, build(key));
    return built.get(key)!;
  };
}

/**
 * One drizzle instance per D1 binding: building one walks the whole schema (its relational
 * config), which a profile showed costing more than some of the queries it then runs.
 */
export const openDb = oncePer((d1: D1Database): Db => drizzle(d1, { schema }));

/**
 * A query built once per database, with `sql.placeholder`s for its values: for the queries of
 * every chat, building the SQL cost more of the Worker's time than D1 took to run it.
 */
export const prepared = <Q>(build: (db: Db) => Q): ((db: Db) => Q) => oncePer(build);
