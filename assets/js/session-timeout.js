// Idle-timeout warning for staff pages.
//
// The server ends a session SESSION_COOKIE_AGE seconds after its last request.
// The staff layout renders a closed <dialog data-module="app-session-timeout">
// (accounts/_session_timeout.html) carrying that timeout and the URLs we need
// in data- attributes. A few minutes before the end we open the dialog: "Stay
// signed in" renews the session with a POST; otherwise, at the end, we sign
// out and go to the "You have been signed out" page.
//
// Progressive enhancement: without JavaScript (or <dialog>) nothing happens
// here and the server's timeout still applies.
//
// Tabs of the same browser share one session, so each tells the others when
// it renews it (BroadcastChannel: a message, nothing stored).

const CHANNEL_NAME = "prevent-hub-session";
const TICK_MS = 1000;

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// "2 minutes", "1 minute", "45 seconds": whole minutes until the last one.
export function describeRemaining(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds >= 60) {
    return plural(Math.ceil(seconds / 60), "minute");
  }
  return plural(seconds, "second");
}

class SessionTimeout {
  constructor(dialog) {
    const data = dialog.dataset;
    this.dialog = dialog;
    this.timeoutMs = Number(data.timeoutSeconds) * 1000;
    this.warningMs = Math.min(Number(data.warningSeconds) * 1000, this.timeoutMs);
    this.keepAliveUrl = data.keepAliveUrl;
    this.signOutUrl = data.signOutUrl;
    this.timedOutUrl = data.timedOutUrl;
    this.countdown = dialog.querySelector("[data-countdown]");
    this.announcer = dialog.querySelector("[data-countdown-announcer]");
    this.stayButton = dialog.querySelector("[data-stay-signed-in]");
    const token = dialog.querySelector("input[name='csrfmiddlewaretoken']");
    this.csrfToken = token ? token.value : "";
    this.lastAnnounced = "";
    this.returnFocusTo = null;
    this.finished = false;

    this.stayButton.addEventListener("click", () => this.staySignedIn());
    // Escape means "not now", which here means stay signed in.
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.staySignedIn();
    });

    this.channel = "BroadcastChannel" in window ? new BroadcastChannel(CHANNEL_NAME) : null;
    if (this.channel) {
      this.channel.addEventListener("message", (event) => this.onMessage(event.data));
    }

    this.renewed(Date.now(), { tell: true });
    this.timer = window.setInterval(() => this.tick(), TICK_MS);
  }

  renewed(at, { tell }) {
    this.deadline = at + this.timeoutMs;
    if (tell && this.channel) {
      this.channel.postMessage({ type: "renewed", at });
    }
    this.close();
  }

  onMessage(message) {
    if (!message || this.finished) return;
    if (message.type === "renewed" && message.at + this.timeoutMs > this.deadline) {
      this.renewed(message.at, { tell: false });
    } else if (message.type === "timed-out") {
      this.finish();
    }
  }

  tick() {
    if (this.finished) return;
    const remaining = this.deadline - Date.now();
    if (remaining <= 0) {
      this.timeOut();
    } else if (remaining <= this.warningMs) {
      this.open(remaining);
    }
  }

  open(remaining) {
    const text = describeRemaining(remaining);
    this.countdown.textContent = text;
    if (!this.dialog.open) {
      this.returnFocusTo = document.activeElement;
      this.lastAnnounced = text;  // read out with the dialog itself
      this.dialog.showModal();
      this.dialog.focus();
      return;
    }
    // Screen readers hear the time left each minute, and every 15 seconds in
    // the last minute, rather than every second.
    const seconds = Math.ceil(remaining / 1000);
    const announce = seconds >= 60 ? text : (seconds % 15 === 0 || seconds <= 5 ? text : null);
    if (announce && announce !== this.lastAnnounced) {
      this.lastAnnounced = announce;
      this.announcer.textContent = `We will sign you out in ${announce}.`;
    }
  }

  close() {
    if (!this.dialog.open) return;
    this.dialog.close();
    this.announcer.textContent = "";
    this.lastAnnounced = "";
    const target = this.returnFocusTo;
    this.returnFocusTo = null;
    if (target && typeof target.focus === "function" && document.contains(target)) {
      target.focus();
    }
  }

  async staySignedIn() {
    this.stayButton.disabled = true;
    try {
      const response = await fetch(this.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": this.csrfToken, Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`keep-alive answered ${response.status}`);
      const body = await response.json();
      if (body.timeoutSeconds) this.timeoutMs = body.timeoutSeconds * 1000;
      this.renewed(Date.now(), { tell: true });
    } catch {
      // The session has already ended (or the server cannot be reached).
      this.timeOut();
    } finally {
      this.stayButton.disabled = false;
    }
  }

  async timeOut() {
    if (this.finished) return;
    this.finished = true;
    window.clearInterval(this.timer);
    if (this.channel) this.channel.postMessage({ type: "timed-out" });
    try {
      // End the session here too, in case the server's clock runs behind ours.
      await fetch(this.signOutUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": this.csrfToken },
      });
    } catch {
      // Signed out already, or offline: the server's timeout still applies.
    }
    this.finish();
  }

  finish() {
    this.finished = true;
    window.clearInterval(this.timer);
    window.location.assign(this.timedOutUrl);
  }
}

export function initSessionTimeout(root = document) {
  const dialog = root.querySelector("[data-module='app-session-timeout']");
  if (!dialog || typeof dialog.showModal !== "function") return null;
  return new SessionTimeout(dialog);
}
