"""Reading the database's plan for a queryset, for tests that prove an index
serves a list's order (no sort over the whole table)."""

from django.db import connection


def plan(queryset) -> str:
    """EXPLAIN on PostgreSQL (sequential scans discouraged, so a usable index
    shows up on a small test table), EXPLAIN QUERY PLAN on SQLite."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())
