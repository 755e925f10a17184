"""A list in two parts, for a Paginator: the rows that need someone's
action first, in one order, then the rest, in another (the venue bookings
dashboard lists requests awaiting action by their event date, then the rest
newest first; the complaints dashboard open complaints by their due date,
then closed ones newest first).

Sorting the whole list by "which part, then each part's own key" would make
the database read and sort every row for every page. Here each part is read
in the order of its own index and sliced in the database, so a page costs
the same three queries (the two counts in one, and each part's rows) however
many rows there are, and wherever the page falls.
"""

from django.db.models import Count, Q
from django.utils.functional import cached_property


class FirstThenRest:
    """`queryset`'s rows matching `first`, ordered by `first_order`, then the
    others, ordered by `rest_order`. `only` says which part a filter leaves
    anything in ("first" or "rest"); the other part then runs no query."""

    def __init__(self, queryset, *, first: Q, first_order, rest_order, only: str = ""):
        self.queryset, self.first_rule = queryset, first
        self.first = queryset.filter(first).order_by(*first_order)
        self.rest = queryset.exclude(first).order_by(*rest_order)
        if only == "first":
            self.rest = self.rest.none()
        elif only == "rest":
            self.first = self.first.none()

    @cached_property
    def counts(self) -> dict:
        return self.queryset.order_by().aggregate(total=Count("pk"),
                                                  first=Count("pk", filter=self.first_rule))

    def count(self) -> int:
        return self.counts["total"]

    def __len__(self):
        return self.count()

    def __getitem__(self, page: slice) -> list:
        start, stop, split = page.start or 0, page.stop, self.counts["first"]
        # A part the page takes nothing from is still read (one row, dropped)
        # so that every page runs the same queries.
        low, high = min(start, split), min(stop, split)
        found = list(self.first[low:max(high, low + 1)])[:high - low]
        low, high = max(start - split, 0), max(stop - split, 0)
        return found + list(self.rest[low:max(high, low + 1)])[:high - low]

    def __iter__(self):
        """Every row, for an export: read in chunks, never held at once."""
        yield from self.first.iterator(chunk_size=500)
        yield from self.rest.iterator(chunk_size=500)
