// Focus back on the control the user was working with, after a page load.
//
// Moving an agenda item reloads the meeting page; the server marks the moved
// item's button (autofocus and data-app-refocus) so that a keyboard user can
// go on moving it. Without JavaScript, autofocus alone does that. With it,
// GOV.UK Frontend's success banner takes focus as it starts, so that its
// message is read out: this runs after it, gives focus back to the control,
// and has the control described by the banner's message, so a screen reader
// still reads the confirmation ("Item moved: ... is now item 2 of 5").

export function initRefocus(root = document) {
  const control = root.querySelector("[data-app-refocus]");
  if (!control) return null;
  const message = root.querySelector(".govuk-notification-banner--success .govuk-notification-banner__content");
  if (message) {
    message.id = message.id || "app-refocus-message";
    control.setAttribute("aria-describedby", message.id);
  }
  control.focus();
  return control;
}
