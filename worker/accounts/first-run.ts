import type { AccountType } from "../billing/fees";

// The first-run checklist on the admin's home: what a new company does before customers can reach
// it and pay it, each step ticked from facts in D1 (stores/first-run.ts), never from a click on it.

export type FirstRunFacts = {
  accountType: AccountType;
  /** Enabled users who take chats: agents, an admin who takes chats too, a solo professional. */
  agents: number;
  /** Some chat was started in one of the company's rooms: its link was opened and used. */
  chatStarted: boolean;
  /** The first other website seen fetching one of the company's embed scripts. */
  embedOrigin: string | null;
  /** Payments can be taken: the company's Stripe account is ready, or the solo's payouts have a destination. */
  paymentsReady: boolean;
};

export type StepId = "agent" | "link" | "embed" | "payments";
export type ChecklistStep = { id: StepId; done: boolean; title: string; detail: string; href: string; action: string };

/** The steps in the order a new company takes them; `roomUrl` is the first room's contact form. */
export function firstRunChecklist(facts: FirstRunFacts, roomUrl: string): ChecklistStep[] {
  const solo = facts.accountType === "solo";
  return [
    {
      id: "agent",
      done: facts.agents > 0,
      title: "Add an agent, or take chats yourself",
      detail: "Someone must be there to answer: add your agents, or switch on “I take chats too” for your own login.",
      href: "/admin/agents",
      action: "Agent staff",
    },
    {
      id: "link",
      done: facts.chatStarted,
      title: "Open your room's link and start a chat",
      detail: "Try it as a customer would: open the contact form and press Chat. Ticked once a first chat has started.",
      href: roomUrl,
      action: "Open the contact form",
    },
    {
      id: "embed",
      done: facts.embedOrigin !== null,
      title: "Embed the chat button on your site",
      detail: facts.embedOrigin
        ? `Seen on ${facts.embedOrigin}.`
        : "Paste the room's script tag into your website's pages. Ticked once a page of your site has loaded it.",
      href: "#rooms",
      action: "Room links",
    },
    {
      id: "payments",
      done: facts.paymentsReady,
      title: solo ? "Choose where you are paid" : "Connect Stripe to take payments",
      detail: solo
        ? "Parley pays out your share of paid chats: choose Stripe, PayPal, AliPay or WeChat Pay."
        : "Customers' payments go straight into your own Stripe account. Needed for paid rooms and payment requests.",
      href: "/admin/payments",
      action: "Payments",
    },
  ];
}
