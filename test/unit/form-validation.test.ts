import { Hono, type Env } from "hono";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { formValidator, refuseForm, type FormPage } from "../../worker/http/form-validation";

// A page that shows what it was given, so each test can read back the values and errors.
const page: FormPage<Env> = (c, sent, errors) => c.json({ page: "again", sent, errors });

const personForm = z
  .object({
    name: z.string().trim().min(1, "Enter a name.").max(20, "Use at most 20 characters."),
    age: z.string().regex(/^\d+$/, "Enter your age in whole years.").transform(Number),
    roomIds: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.string())),
  })
  .superRefine((v, ctx) => {
    if (v.name === "Nobody") ctx.addIssue({ code: "custom", message: "Somebody, please." });
  });

const app = new Hono()
  .post("/people", formValidator(personForm, page), (c) => c.json({ saved: c.req.valid("form") }))
  // A refusal known only once the form is read, as when an email address is already taken.
  .post("/taken", formValidator(personForm, page), (c) => refuseForm(c, page, { name: `${c.req.valid("form").name} is taken.` }))
  // The schema chosen by what was sent, as money fields are read in the currency of the form.
  .post(
    "/by-kind",
    formValidator((_, sent) => (sent.kind === "short" ? z.object({ text: z.string().max(3, "Too long.") }) : z.object({ text: z.string().max(10, "Far too long.") })), page),
    (c) => c.json({ saved: c.req.valid("form") }),
  );

function post(path: string, fields: [string, string][]) {
  return app.request(path, { method: "POST", body: new URLSearchParams(fields) });
}

describe("formValidator", () => {
  it("hands the handler the parsed form, never the raw one", async () => {
    const res = await post("/people", [["name", "  Ann "], ["age", "42"], ["roomIds", "r1"], ["_csrf", "token"]]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ saved: { name: "Ann", age: 42, roomIds: ["r1"] } });
  });

  it("answers a refused form with its page again: status 422, the first message of each field, the values as sent", async () => {
    const res = await post("/people", [["name", "  "], ["age", "forty"]]);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ page: "again", sent: { name: "  ", age: "forty" }, errors: { name: "Enter a name.", age: "Enter your age in whole years." } });
  });

  it("keeps a name sent more than once as all its values, as checkbox lists are sent", async () => {
    const res = await post("/people", [["name", ""], ["age", "1"], ["roomIds", "r1"], ["roomIds", "r2"]]);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ sent: { roomIds: ["r1", "r2"] } });
  });

  it("puts a problem with the form as a whole under `form`", async () => {
    const res = await post("/people", [["name", "Nobody"], ["age", "1"]]);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: { form: "Somebody, please." } });
  });

  it("refuses a body that is not a form like an empty form", async () => {
    const res = await app.request("/people", { method: "POST", body: JSON.stringify({ name: "Ann", age: "1" }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { sent: object; errors: object };
    expect(body.sent).toEqual({});
    expect(Object.keys(body.errors)).toEqual(["name", "age"]);
  });

  it("reads with the schema chosen for the request", async () => {
    expect(await (await post("/by-kind", [["kind", "short"], ["text", "abc"]])).json()).toEqual({ saved: { text: "abc" } });
    const short = await post("/by-kind", [["kind", "short"], ["text", "abcd"]]);
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ errors: { text: "Too long." } });
    expect(await (await post("/by-kind", [["kind", "long"], ["text", "abcd"]])).json()).toEqual({ saved: { text: "abcd" } });
  });
});

describe("refuseForm", () => {
  it("shows a refusal known only after parsing the same way: the page again, 422, the values as sent", async () => {
    const res = await post("/taken", [["name", " Ann "], ["age", "42"]]);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ page: "again", sent: { name: " Ann ", age: "42" }, errors: { name: "Ann is taken." } });
  });
});
