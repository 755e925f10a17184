"""Reading an "overdue" rule the way the counts do.

Each kind of deadline states its rule once, as a Q (for example
channel.info_requests.overdue). Counts filter on it; pages read it through
`with_overdue`, which asks the database the same question row by row, so a
badge on a page and the number on a dashboard cannot disagree.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q


def with_overdue(queryset, rule: Q):
    """`queryset` with `is_overdue` on each row, by `rule`."""
    return queryset.annotate(is_overdue=ExpressionWrapper(rule, output_field=BooleanField()))
