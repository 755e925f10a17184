"""Small-number suppression: no published figure may identify a person.

Primary suppression hides every count from 1 to STATISTICS_SUPPRESS_UP_TO (4
unless the council changes it) as `*`. Zero is shown: it says nobody.

Secondary suppression stops a hidden count being worked out from the others.
Every breakdown here is a partition: its cells add up to a total that is
published elsewhere (the year's referrals, say). From the total and the
shown cells anyone can work out the sum of the hidden ones, so a partition
is safe only if no hidden cell is pinned to one value by that sum:

- one hidden cell is its sum exactly;
- hidden cells adding up to their number must each be 1 (a hidden count is
  at least 1 when it is a small number);
- hidden cells adding up to their number times the largest small number
  must each be that number, for a reader who assumes every `*` is small.

While any of these holds, the smallest shown count that is not zero is
hidden too (then, if none is left, a zero), and the test is made again. The
breakdowns never cross one another (no sector-by-age table), so each
partition can be made safe on its own; tests/test_statistics_suppression.py
checks every way a cell could be recovered, for generated tables.

`partition_suppress` is the only place this is decided: pages, downloads,
the API and equality-monitoring rates all read its result.
"""

from collections.abc import Mapping

from django.conf import settings

SUPPRESSED = "*"


def suppress_up_to() -> int:
    return settings.STATISTICS_SUPPRESS_UP_TO


def is_small(count: int, *, up_to: int | None = None) -> bool:
    up_to = suppress_up_to() if up_to is None else up_to
    return 1 <= count <= up_to


def figure(count: int, *, up_to: int | None = None) -> int | str:
    """A count published on its own (a headline): `*` when it is small."""
    return SUPPRESSED if is_small(count, up_to=up_to) else count


def _pinned(hidden: list[int], hidden_sum: int, up_to: int) -> bool:
    k = len(hidden)
    return k == 1 or hidden_sum == k or hidden_sum == k * up_to


def partition_suppress(counts: Mapping[str, int], *, up_to: int | None = None) -> dict[str, int | str]:
    """`counts` (code → count, in display order) is one breakdown of a
    published total, their sum. Returns code → the count or `*`.

    When the total itself is small it is hidden where it is published
    (`figure`), and so is every cell, zeros included."""
    up_to = suppress_up_to() if up_to is None else up_to
    order = list(counts)
    hidden = {code for code in order if is_small(counts[code], up_to=up_to)}
    total = sum(counts.values())
    if is_small(total, up_to=up_to):
        # Even its zeros would say which few categories the people are in.
        hidden = set(order)
    elif hidden:
        while _pinned([counts[code] for code in hidden], sum(counts[code] for code in hidden), up_to):
            shown = [code for code in order if code not in hidden]
            if not shown:
                break
            # Smallest first (the least information lost). Cells tied for
            # smallest are hidden together: choosing one of them by its place
            # would tell the reader which of the hidden cells was the larger.
            nonzero = [code for code in shown if counts[code] > 0]
            candidates = nonzero or shown
            smallest = min(counts[code] for code in candidates)
            hidden.update(code for code in candidates if counts[code] == smallest)
        if all(code in hidden for code in order if counts[code] > 0):
            # Every person's category is hidden: hide the zeros as well, so
            # the few categories they are in are not singled out (and a
            # table that could not be protected otherwise looks like the
            # many that could).
            hidden = set(order)
    return {code: SUPPRESSED if code in hidden else counts[code] for code in order}
