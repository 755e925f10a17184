"""Reading an "overdue" rule the way the counts do.

Each kind of deadline states its rule once, as a Q (for example
channel.info_requests.overdue). Counts filter on it; pages read it through
`with_overdue`, which asks the database the same question row by row, so a
badge on a page and the number on a dashboard cannot disagree.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q


def with_overdue(queryset, rule: Q, *, name: str = "is_overdue"):
    """`queryset` with `is_overdue` on each row, by `rule` (another `name`
    for a row with more than one deadline)."""
    return queryset.annotate(**{name: ExpressionWrapper(rule, output_field=BooleanField())})
