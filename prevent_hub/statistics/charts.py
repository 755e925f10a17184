"""Horizontal bar charts drawn on the server as inline SVG, from published
figures only (`figures.Breakdown`): no chart library and no script.

A chart is a picture of its table, never a replacement for it. The SVG is
one image (`role="img"`) named by its title and described by a sentence
made from the figures that are shown (the same sentence is printed under
it); the table beside it is what a screen
reader reads. A hidden figure (`*`) gets no bar, only its `*`: a bar would
show roughly how small it is. The sentence never speaks of a hidden figure,
only that some are hidden.

Each row takes two lines: its label, then its bar with the figure at the
end. Labels above the bars rather than beside them keep long category names
("Black, Black British, Caribbean or African") readable on a phone, where
the whole picture shrinks to the width of the screen.
"""

import textwrap
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .figures import Breakdown
from .suppression import SUPPRESSED

# GOV.UK colours: blue bars (5.2:1 against white), text in GOV.UK black.
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
HIDDEN_COLOUR = "#484949"  # GOV.UK secondary text colour

# Drawn 480 units wide, the width of half a desktop page, so 19-unit text
# is about as large as the page's own; narrower screens shrink it.
WIDTH = 480
BAR_SPACE = 400   # the longest bar; the rest is room for its figure
LABEL_SIZE = 19
LINE_HEIGHT = 24
LABEL_CHARACTERS = 40  # a label line wraps before it runs off the picture
BAR_HEIGHT = 24
ROW_GAP = 14

HIDDEN_SENTENCE = "Some numbers are hidden (*) to protect people."
ALL_HIDDEN_SENTENCE = "The numbers are hidden (*) to protect people: they are too small to publish."


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    summary: str
    svg: SafeString
    has_hidden: bool


def _numbers(breakdown: Breakdown) -> list[tuple[str, int]]:
    return [(row.label, row.shown) for row in breakdown.rows if row.shown != SUPPRESSED]


def _names(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


# How the sentence names the largest figure, by breakdown: "{names}" are the
# labels of the largest, "{of}" what is counted.
LEADS = {
    "by_sector": ("{names} made the most {of}", "{names} made the most {of}"),
    "quarters": ("{names} had the most {of}", "{names} had the most {of}"),
}
DEFAULT_LEAD = ("The largest group of {of} was {names}", "The largest groups of {of} were {names}")


def summary_sentence(breakdown: Breakdown) -> str:
    """What the chart shows, in words, from the figures that are shown.

    Hidden figures are never the largest (suppression hides the smallest
    first), but the sentence does not lean on that: it names the largest of
    the figures shown, and says that some are hidden, never which or how
    many people they hold."""
    hidden = any(row.shown == SUPPRESSED for row in breakdown.rows)
    numbers = _numbers(breakdown)
    largest = max((count for _label, count in numbers), default=0)
    if breakdown.total == SUPPRESSED or (hidden and largest == 0):
        return ALL_HIDDEN_SENTENCE
    if breakdown.total == 0 or largest == 0:
        return f"There were no {breakdown.of}."
    leaders = [label for label, count in numbers if count == largest]
    one, many = LEADS.get(breakdown.key, DEFAULT_LEAD)
    lead = (one if len(leaders) == 1 else many).format(names=_names(leaders), of=breakdown.of)
    each = " each" if len(leaders) > 1 else ""
    sentence = f"{lead}: {largest:,}{each} of {breakdown.total:,}."
    return f"{sentence} {HIDDEN_SENTENCE}" if hidden else sentence


def _bar_length(count: int, largest: int) -> float:
    if count <= 0 or largest <= 0:
        return 0.0
    # A bar of 1 in 10,000 is still seen.
    return max(2.0, round(BAR_SPACE * count / largest, 1))


def _label_lines(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARACTERS, break_long_words=True) or [""]


def bar_chart(breakdown: Breakdown, *, chart_id: str) -> Chart:
    title = f"{breakdown.title}: bar chart"
    summary = summary_sentence(breakdown)
    numbers = [count for _label, count in _numbers(breakdown)]
    largest = max(numbers, default=0)
    rows, top = [], 0
    for row in breakdown.rows:
        lines = _label_lines(row.label)
        label = format_html_join("", '<tspan x="0" y="{}">{}</tspan>',
                                 ((top + LINE_HEIGHT * (number + 1) - 5, line)
                                  for number, line in enumerate(lines)))
        bar_y = top + LINE_HEIGHT * len(lines) + 2
        value_y = bar_y + BAR_HEIGHT - 6
        top = bar_y + BAR_HEIGHT + ROW_GAP
        if row.shown == SUPPRESSED:
            rows.append(format_html(
                '<text font-size="{size}" fill="{text}">{label}</text>'
                '<text class="app-chart__hidden" x="0" y="{y}" font-size="{size}" fill="{hidden}">'
                '* hidden to protect people</text>',
                size=LABEL_SIZE, text=TEXT_COLOUR, label=label, y=value_y, hidden=HIDDEN_COLOUR))
            continue
        length = _bar_length(row.shown, largest)
        bar = format_html('<rect class="app-chart__bar" x="0" y="{}" width="{}" height="{}" fill="{}"/>',
                          bar_y, length, BAR_HEIGHT, BAR_COLOUR) if length else ""
        rows.append(format_html(
            '<text font-size="{size}" fill="{text}">{label}</text>{bar}'
            '<text x="{x}" y="{y}" font-size="{size}" font-weight="bold" fill="{text}">{value}</text>',
            size=LABEL_SIZE, text=TEXT_COLOUR, label=label, bar=bar, x=length + 6, y=value_y,
            value=f"{row.shown:,}"))
    svg = format_html(
        '<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="100%" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" '
        'focusable="false" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{summary}</desc>{rows}</svg>',
        width=WIDTH, height=max(top, ROW_GAP), id=chart_id, title=title, summary=summary,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )
    return Chart(chart_id=chart_id, title=title, summary=summary, svg=svg,
                 has_hidden=any(row.shown == SUPPRESSED for row in breakdown.rows))
