"""Shared by the assurance tests: travelling to a day, reading the page."""

import csv
import datetime
import io

import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

D = datetime.date
# The day the tests read the summary on: financial year 2025/26 is over,
# 2026/27 is the current one.
READ_ON = D(2026, 6, 15)
PAST, CURRENT = 2025, 2026


def at(day: datetime.date, hour: int = 12, minute: int = 0):
    """`hour`:`minute` on `day` in London (the service's dates are London's)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return time_machine.travel(moment, tick=False)


def london(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def figures_on_page(response) -> dict[str, list[str]]:
    """"section.figure" → the cells of its row (quarters then year, or the
    standing then the year), as the page shows them."""
    found = {}
    for row in soup(response).select("tr[data-figure]"):
        found[row["data-figure"]] = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    return found


def year_on_page(response, key: str) -> int:
    return int(figures_on_page(response)[key][-1])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
