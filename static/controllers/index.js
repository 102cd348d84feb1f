// Starts Stimulus and registers every controller; each lives in its own file beside this one.
import { Application } from "@hotwired/stimulus";
import CallController from "./call_controller.js";
import ComposerController from "./composer_controller.js";
import ConfirmController from "./confirm_controller.js";
import ConnectionController from "./connection_controller.js";
import ConsoleController from "./console_controller.js";
import CountdownController from "./countdown_controller.js";
import CurrencyController from "./currency_controller.js";
import LocalRecordingsController from "./local_recordings_controller.js";
import RecorderController from "./recorder_controller.js";
import RingController from "./ring_controller.js";
import ScrollController from "./scroll_controller.js";
import ToastController from "./toast_controller.js";

const application = Application.start();
application.register("call", CallController);
application.register("composer", ComposerController);
application.register("confirm", ConfirmController);
application.register("connection", ConnectionController);
application.register("console", ConsoleController);
application.register("countdown", CountdownController);
application.register("currency", CurrencyController);
application.register("local-recordings", LocalRecordingsController);
application.register("recorder", RecorderController);
application.register("ring", RingController);
application.register("scroll", ScrollController);
application.register("toast", ToastController);
window.Stimulus = application;
