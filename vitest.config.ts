import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { createFakeStripe } from "./test/fakes/stripe";
import { createFakeCalls, TEST_CALLS } from "./test/fakes/calls";
import { createFakePush } from "./test/fakes/push";
import { createFakeReceiver } from "./test/fakes/webhook-receiver";
// @ts-expect-error plain ESM script shared with `npm start`, no type declarations
import { freePort, localVapidKeys } from "./scripts/dev-server.mjs";
// @ts-expect-error plain ESM script shared with wrangler.toml's [build], no type declarations
import { buildAssets } from "./scripts/build-assets.mjs";

// The Worker's pages name the built scripts and styles (worker/http/page-assets.ts); the Workers
// pool does not run wrangler.toml's [build], so the tests build them from the sources as they are.
await buildAssets();

// Every outbound request of the Worker under test goes to the fake Stripe (there is no network);
// tests read and steer it over the same route, e.g. GET http://stripe.fake/_fake/state.
const fakeStripe = createFakeStripe();
// Cloudflare Calls and its TURN service answer at http://calls.fake (see test/fakes/calls).
// Tests that need Calls configured pass TEST_CALLS' credentials to the Worker themselves.
const fakeCalls = createFakeCalls(TEST_CALLS);
// Web Push services answer at https://push.fake (test/fakes/push), to the Worker's VAPID keys.
const fakePush = createFakePush();
const vapid = await localVapidKeys(undefined);
// Integrators' webhook endpoints: http://localhost/… posts to it, http://receiver.fake reads what it got.
const fakeReceiver = createFakeReceiver();
// Mail leaves the Worker by SMTP over cloudflare:sockets, which does not pass through the
// outboundService: it reaches 127.0.0.1 itself. test/integration/mail-setup.ts starts maildev (the
// catcher, whose inbox tests read at http://mail.fake) and a failing fake SMTP server on these ports.
const mailPorts = { smtp: await freePort(), web: await freePort(), failing: await freePort() };
process.env.PARLEY_TEST_MAIL_PORTS = JSON.stringify(mailPorts);

// Two projects: pure logic in plain Node, and routes/Durable Objects inside workerd with the
// D1 migrations applied. End-to-end tests have their own config (vitest.e2e.config.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ENVIRONMENT: "test",
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                STRIPE_SECRET_KEY: "sk_test_parley_fake",
                STRIPE_API_BASE: "http://stripe.fake",
                STRIPE_WEBHOOK_SECRET: "whsec_parley_test",
                SMTP_HOST: "127.0.0.1",
                SMTP_PORT: String(mailPorts.smtp),
                SMTP_SECURE: "none",
                MAIL_FROM: "mail@parley.test",
                TEST_FAILING_SMTP_PORT: String(mailPorts.failing),
                ...vapid,
                WEBHOOK_SECRET_KEY: "cGFybGV5LXRlc3Qtd2ViaG9vay1zZWNyZXQta2V5ISE=",
              },
              // Miniflare hands over its own Request class; rebuild it as this realm's.
              outboundService: async (request: Request) => {
                const copy = new Request(request.url, {
                  method: request.method,
                  headers: request.headers,
                  body: ["GET", "HEAD"].includes(request.method) ? undefined : await request.arrayBuffer(),
                });
                const url = new URL(request.url);
                if (url.hostname === "mail.fake") return fetch(`http://127.0.0.1:${mailPorts.web}${url.pathname}${url.search}`, { method: copy.method });
                if (url.hostname === "push.fake") return fakePush.fetch(copy);
                if (url.hostname === "localhost" || url.hostname === "receiver.fake") return fakeReceiver.fetch(copy);
                return url.hostname === "calls.fake" ? fakeCalls.fetch(copy) : fakeStripe.fetch(copy);
              },
            },
          })),
        ],
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/integration/**/*.test.tsx"],
          setupFiles: ["./test/integration/apply-migrations.ts"],
          globalSetup: ["./test/integration/mail-setup.ts"],
        },
      },
    ],
  },
});
