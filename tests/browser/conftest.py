"""Browser tests: real Chromium (Debian's package) driven by Playwright, with
axe-core from npm for accessibility.

Playwright's own browser download does not work on our machines, so we launch
/usr/bin/chromium. `make test` installs it if it is missing; without it these
tests fail rather than skip, so a missing browser can never pass for green.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright runs an event loop in this thread; the Django ORM calls our tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run `make chromium`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _open_page(browser, live_server, *, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # A page without JavaScript never runs requestAnimationFrame callbacks, so
    # the reflow check must not wait for one there.
    page.javascript_enabled = javascript
    # Console errors include Content Security Policy violations.
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    return context, page


# `reference_data` (root conftest.py) loads what the data migrations load.
with_reference_data = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def page(browser, live_server):
    context, page = _open_page(browser, live_server, javascript=True)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context, page = _open_page(browser, live_server, javascript=False)
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page and return its violations.

    axe is injected with page.evaluate, which the DevTools protocol runs
    outside the page's Content Security Policy, so the CSP under test stays on.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


class ReflowFailure(AssertionError):
    pass


# WCAG 1.4.10: content must reflow at 320 CSS px (1280 px zoomed to 400%)
# without scrolling in two dimensions.
REFLOW_WIDTH = 320

# Returns null when the page fits, otherwise its scroll width, the width it
# had, and the elements that stick out furthest past the right edge. Content
# clipped by an ancestor that clips or scrolls (overflow-x other than visible,
# as .app-table-scroll) is not counted: it cannot make the page scroll. An
# absolutely positioned box (visually hidden text) is clipped only by such an
# ancestor at or above its containing block, so one inside a scroll region that
# is not positioned still counts, as it does in the browser. An element counts
# when it sticks out and its parent does not; text counts when its line runs
# past the edge of the box it is in (a long word).
_REFLOW_JS = """
() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 0.5;
  if (root.scrollWidth <= root.clientWidth) return null;
  const positioned = style => style.position !== "static" || style.transform !== "none";
  const clipped = (element, bySelf) => {
    let style = getComputedStyle(element);
    if (bySelf && style.overflowX !== "visible") return true;
    for (let node = element; node && node !== document.body && node !== root;) {
      if (style.position === "fixed") return true;
      const absolute = style.position === "absolute";
      let parent = node.parentElement, parentStyle;
      for (; parent && parent !== document.body && parent !== root; parent = parent.parentElement) {
        parentStyle = getComputedStyle(parent);
        if (!absolute || positioned(parentStyle)) break;
      }
      if (!parent || parent === document.body || parent === root) return false;
      if (parentStyle.overflowX !== "visible") return true;
      node = parent;
      style = parentStyle;
    }
    return false;
  };
  const sticksOut = element => element.getBoundingClientRect().right > limit && !clipped(element, false);
  const describe = element => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    for (const cls of Array.from(element.classList).slice(0, 2)) name += "." + cls;
    const named = element.parentElement && element.parentElement.closest("[id]");
    if (named && named !== document.body) name += " in #" + named.id;
    const text = (element.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 50);
    return text ? `${name} "${text}"` : name;
  };
  const found = new Map();
  const note = (element, right) => {
    if (!found.has(element) || found.get(element) < right) found.set(element, right);
  };
  for (const element of document.body.querySelectorAll("*")) {
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || !sticksOut(element)) continue;
    const parent = element.parentElement;
    if (parent === document.body || !sticksOut(parent)) note(element, rect.right);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const element = text.parentElement;
    if (!text.data.trim() || !element || clipped(element, true)) continue;
    range.selectNodeContents(text);
    const right = range.getBoundingClientRect().right;
    if (right > limit && element.getBoundingClientRect().right <= limit) note(element, right);
  }
  const widest = Array.from(found, ([element, right]) => ({element, right}))
    .sort((a, b) => b.right - a.right)
    .slice(0, 5)
    .map(({element, right}) => `${describe(element)} reaches ${Math.round(right)}px`);
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest};
}
"""


def _settle(page):
    """Let the page lay itself out again after a viewport change, including
    the scripts that listen for media query changes (GOV.UK's menu button)."""
    if getattr(page, "javascript_enabled", True):
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def reflow_overflow(page, width=REFLOW_WIDTH) -> dict | None:
    """Lay the page out `width` CSS px wide (same height) and report what
    makes it scroll sideways, or None; the previous viewport is restored."""
    previous = page.viewport_size
    assert previous is not None, "the reflow check needs a context with a fixed viewport"
    page.set_viewport_size({"width": width, "height": previous["height"]})
    try:
        _settle(page)
        return page.evaluate(_REFLOW_JS)
    finally:
        page.set_viewport_size(previous)
        _settle(page)


def assert_reflows(page, width=REFLOW_WIDTH):
    overflow = reflow_overflow(page, width)
    if overflow:
        lines = [
            f"{page.url} scrolls sideways at {width} CSS px (WCAG 1.4.10 Reflow): "
            f"{overflow['scrollWidth']}px of content in {overflow['clientWidth']}px. "
            "Put a wide table in {% table_scroll %} (docs/decisions/0014); let long words wrap.",
            "Widest offending elements:",
        ]
        lines.extend(f"- {item}" for item in overflow["widest"] or ["(none found outside the page's root)"])
        raise ReflowFailure("\n".join(lines))


def assert_accessible(page):
    """Zero axe-core violations, and the page reflows at 320 CSS px."""
    violations = axe_violations(page)
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']}: {violation['help']}")
            lines.extend(f"    {node['target']}" for node in violation["nodes"][:5])
        raise AxeViolations("\n".join(lines))
    assert_reflows(page)


def checked(page):
    """The page has loaded, passes axe-core and logged no errors (CSP included).

    "load" rather than "networkidle": pages are rendered by the server and
    their stylesheets and scripts are in by the load event, while
    networkidle waits a further 500 ms of quiet on every page checked (over
    400 checks, minutes of each CI run)."""
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.console_errors == [], page.console_errors


def signed_in(page, live_server, *roles, **user_fields):
    """Sign the browser in (password and second factor) as a new user with
    `roles`, by handing it the session of a test client that signed in."""
    from conftest import sign_in
    from prevent_hub.accounts.tests.factories import UserFactory

    user = UserFactory(roles=roles, **user_fields)
    client = Client()
    sign_in(client, user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    return user
