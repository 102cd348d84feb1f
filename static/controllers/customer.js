// The customer's pages (views/Layout.tsx: the bare ones): the contact form, the chat with its
// calls and invoices, and the card pages. What a text chat needs comes at once; calls (once a call
// panel appears, though the chat page names the controller from the start), payments (invoices'
// countdowns, the card form), recording and remote control when a page shows them.
import { start } from "./application.js";
import ComposerController from "./composer_controller.js";
import ConfirmController from "./confirm_controller.js";
import ConnectionController from "./connection_controller.js";
import DismissController from "./dismiss_controller.js";
import ScrollController from "./scroll_controller.js";

start(
  {
    composer: ComposerController,
    confirm: ConfirmController,
    connection: ConnectionController,
    dismiss: DismissController,
    scroll: ScrollController,
  },
  {
    call: () => import("./call_controller.js"),
    countdown: () => import("./countdown_controller.js"),
    "payment-element": () => import("./payment_element_controller.js"),
    "remote-control": () => import("./remote_control_controller.js"),
    recorder: () => import("./recorder_controller.js"),
    // The staff's, should a customer's page ever show one.
    app: () => import("./app_controller.js"),
    "chat-tabs": () => import("./chat_tabs_controller.js"),
    console: () => import("./console_controller.js"),
    copy: () => import("./copy_controller.js"),
    currency: () => import("./currency_controller.js"),
    "embed-preview": () => import("./embed_preview_controller.js"),
    "local-recordings": () => import("./local_recordings_controller.js"),
    "notification-permission": () => import("./notification_permission_controller.js"),
    "photo-choice": () => import("./photo_choice_controller.js"),
    push: () => import("./push_controller.js"),
    ring: () => import("./ring_controller.js"),
    toast: () => import("./toast_controller.js"),
  },
  { call: "[data-call-target]" },
);
