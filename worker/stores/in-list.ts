import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

// D1 binds at most 100 parameters a statement, and a company can have hundreds of agents and
// rooms: lists that grow with the company are bound as one JSON parameter, or spread over
// statements of the same batch.

/** `column in (values)`, however many values, bound as one parameter (SQLite still uses the column's index). */
export const inList = (column: SQLiteColumn, values: readonly (string | number)[]): SQL =>
  sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;

/** Rows to insert, in groups small enough for one statement each when every row binds `columns` parameters. */
export function insertGroups<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.floor(100 / columns);
  return Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));
}
