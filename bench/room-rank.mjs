// What the plan's room locks cost (worker/stores/rooms.ts, `roomRank` and `rankedRooms`): the
// contact form's one query (companies ⟕ rooms by slug and name) with and without the room's rank,
// and a console's served rooms ranked by a count per room or by one window, on SQLite (D1's
// engine) with the app's migrations: 2,000 companies of 25 rooms and one of 200 (Large
// Enterprise's limit). The SQL is written out as drizzle writes it. Microseconds of SQLite's own
// time; D1's round trip, the same with or without, is not in them.
//   npm exec -- node --disable-warning=ExperimentalWarning bench/room-rank.mjs
import { DatabaseSync } from "node:sqlite";
import { readdirSync, readFileSync } from "node:fs";
const dir = new URL("../migrations", import.meta.url).pathname;
const db = new DatabaseSync(":memory:");
for (const f of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) db.exec(readFileSync(`${dir}/${f}`, "utf8").replaceAll("--> statement-breakpoint", ""));
const cols = db.prepare("pragma table_info(companies)").all().filter((c) => c.notnull && c.dflt_value === null).map((c) => c.name);
const insCo = db.prepare(`insert into companies (${cols.join(",")}) values (${cols.map(() => "?").join(",")})`);
const insRoom = db.prepare("insert into rooms (id, company_id, name, position) values (?, ?, ?, ?)");
db.exec("begin");
const company = (slug, rooms) => {
  const id = `co-${slug}`;
  insCo.run(...cols.map((c) => (c === "id" ? id : c === "slug" ? slug : c === "name" ? slug : c === "plan" ? "pro" : c === "account_type" ? "company" : 0)));
  insRoom.run(`${id}-g`, id, "GENERAL", 0);
  for (let i = 1; i < rooms; i++) insRoom.run(`${id}-${i}`, id, `ROOM_${i}`, i);
};
for (let i = 0; i < 2000; i++) company(`c${i}`, 25);
company("big", 200);
db.exec("commit");
const rank = `(select count(*) from rooms ahead where ahead.company_id = "rooms"."company_id" and ahead.retired_at is null
  and (ahead.name <> 'GENERAL', ahead.position, ahead.created_at, ahead.id) < ("rooms"."name" <> 'GENERAL', "rooms"."position", "rooms"."created_at", "rooms"."id"))`;
const base = (extra) => `select "companies".*, "rooms".*${extra} from "companies" left join "rooms" on ("rooms"."company_id" = "companies"."id" and "rooms"."name" = ?) where "companies"."slug" = ?`;
const plain = db.prepare(base(""));
const ranked = db.prepare(base(`, ${rank} as rank`));
console.log("plan:", db.prepare(`explain query plan ${base(`, ${rank}`)}`).all().map((r) => r.detail).join(" | "));
const time = (stmt, slug, room, n = 20000) => {
  for (let i = 0; i < 1000; i++) stmt.get(room, slug);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) stmt.get(room, slug);
  return Number(process.hrtime.bigint() - t) / n / 1000;
};
for (const [slug, room] of [["c77", "ROOM_24"], ["big", "ROOM_199"], ["big", "ROOM_20"]]) {
  console.log(`${slug}/${room}: rank ${ranked.get(room, slug).rank}; plain ${time(plain, slug, room).toFixed(1)} µs, with rank ${time(ranked, slug, room).toFixed(1)} µs`);
}
// The console's connect: every room an agent serves, each with its rank (an agent of all 200 rooms).
const served = db.prepare(`select "rooms".*, ${rank} as rank from "rooms" where "rooms"."company_id" = ? and "rooms"."retired_at" is null order by "rooms"."name" <> 'GENERAL', "rooms"."position", "rooms"."created_at", "rooms"."id"`);
const servedPlain = db.prepare(`select "rooms".* from "rooms" where "rooms"."company_id" = ? and "rooms"."retired_at" is null order by "rooms"."position"`);
const timeAll = (stmt, n = 300) => {
  for (let i = 0; i < 20; i++) stmt.all("co-big");
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) stmt.all("co-big");
  return Number(process.hrtime.bigint() - t) / n / 1000;
};
console.log(`all 200 rooms of big: plain ${timeAll(servedPlain).toFixed(0)} µs, each with its rank ${timeAll(served).toFixed(0)} µs`);
const windowed = db.prepare(`select "rooms".*, "ranked"."rank" from "rooms" inner join (select "id", row_number() over (order by "name" <> 'GENERAL', "position", "created_at", "id") - 1 as "rank" from "rooms" where "company_id" = ? and "retired_at" is null) "ranked" on "ranked"."id" = "rooms"."id" order by "ranked"."rank"`);
console.log(`all 200 rooms of big, ranked by a window: ${timeAll(windowed).toFixed(0)} µs; ranks agree: ${JSON.stringify(windowed.all("co-big").map((r) => r.rank)) === JSON.stringify(served.all("co-big").map((r) => r.rank))}`);
