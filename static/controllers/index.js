// Starts Stimulus and registers every controller; each lives in its own file beside this one.
import { Application } from "@hotwired/stimulus";

window.Stimulus = Application.start();
