import { drizzle } from "drizzle-orm/d1";
import * as schema from "../db/schema";

export type Db = ReturnType<typeof drizzle<typeof schema>>;

/**
 * One drizzle instance per D1 binding: building one walks the whole schema (its relational
 * config), which a profile showed costing more than some of the queries it then runs.
 */
const instances = new WeakMap<D1Database, Db>();

export function openDb(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    instances.set(d1, db);
  }
  return db;
}

/**
 * A query built once per database, with `sql.placeholder`s for its values: for the queries of
 * every chat, building the SQL cost more of the Worker's time than D1 took to run it.
 */
export function prepared<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const queries = new WeakMap<Db, Q>();
  return (db) => {
    let query = queries.get(db);
    if (!query) {
      query = build(db);
      queries.set(db, query);
    }
    return query;
  };
}
