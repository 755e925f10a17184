// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";
import { initRefocus } from "./refocus.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
// After initAll: GOV.UK's success banner focuses itself as it starts.
initRefocus();
// Staff pages only: the warning dialog is rendered there and nowhere else.
initSessionTimeout();
