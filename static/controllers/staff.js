// The agents' and administrators' pages (views/Layout.tsx: those with the header): the console,
// the inbox, the admin pages, sign-in. Recording, remote control, recordings kept in the browser
// and payments (invoices' countdowns, the card form) come when a page shows them.
import { start } from "./application.js";
import AppController from "./app_controller.js";
import CallController from "./call_controller.js";
import ChatTabsController from "./chat_tabs_controller.js";
import ComposerController from "./composer_controller.js";
import ConfirmController from "./confirm_controller.js";
import ConnectionController from "./connection_controller.js";
import ConsoleController from "./console_controller.js";
import CopyController from "./copy_controller.js";
import CurrencyController from "./currency_controller.js";
import DismissController from "./dismiss_controller.js";
import EmbedPreviewController from "./embed_preview_controller.js";
import NotificationPermissionController from "./notification_permission_controller.js";
import PhotoChoiceController from "./photo_choice_controller.js";
import PushController from "./push_controller.js";
import RingController from "./ring_controller.js";
import ScrollController from "./scroll_controller.js";
import ToastController from "./toast_controller.js";

start(
  {
    app: AppController,
    call: CallController,
    "chat-tabs": ChatTabsController,
    composer: ComposerController,
    confirm: ConfirmController,
    connection: ConnectionController,
    console: ConsoleController,
    copy: CopyController,
    currency: CurrencyController,
    dismiss: DismissController,
    "embed-preview": EmbedPreviewController,
    "notification-permission": NotificationPermissionController,
    "photo-choice": PhotoChoiceController,
    push: PushController,
    ring: RingController,
    scroll: ScrollController,
    toast: ToastController,
  },
  {
    countdown: () => import("./countdown_controller.js"),
    "local-recordings": () => import("./local_recordings_controller.js"),
    "payment-element": () => import("./payment_element_controller.js"),
    "remote-control": () => import("./remote_control_controller.js"),
    recorder: () => import("./recorder_controller.js"),
  },
);
