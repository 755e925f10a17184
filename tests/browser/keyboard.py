"""Driving a page with the keyboard alone, as someone who cannot use a mouse.

Focus moves only by Tab (and arrow keys inside a group of radios); typing and
Enter or Space do the rest. Reaching a control by Tab is itself the check that
a keyboard user can reach it: `tab_to` fails if it cannot be reached.
"""

TAB_LIMIT = 250


def _focused(page, locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, limit=TAB_LIMIT):
    """Press Tab until `locator` has the focus (from wherever focus is now,
    round the page if need be)."""
    locator.wait_for(state="attached")
    for _ in range(limit):
        if _focused(page, locator):
            return locator
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} could not be reached with the Tab key on {page.url}")


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, locator, key="Enter"):
    """Activate a link or button from the keyboard."""
    tab_to(page, locator)
    page.keyboard.press(key)


def tick(page, locator):
    """Tick a checkbox with the Space bar."""
    tab_to(page, locator)
    page.keyboard.press("Space")


def choose(page, group, value):
    """Choose a radio in the group named `group`: Tab reaches the group, the
    arrow keys move to the option (which chooses it)."""
    radios = page.locator(f"input[type=radio][name='{group}']")
    target = page.locator(f"input[type=radio][name='{group}'][value='{value}']")
    for _ in range(TAB_LIMIT):
        if radios.evaluate_all("(els) => els.includes(document.activeElement)"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"the {group} radios could not be reached with the Tab key on {page.url}")
    for _ in range(radios.count()):
        if _focused(page, target):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert target.is_checked(), f"{group}={value} was not chosen"


def type_date(page, name, day, month, year):
    for part, value in (("day", day), ("month", month), ("year", year)):
        type_into(page, page.locator(f"[name='{name}-{part}']"), str(value))
