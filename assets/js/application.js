// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
// Staff pages only: the warning dialog is rendered there and nowhere else.
initSessionTimeout();
