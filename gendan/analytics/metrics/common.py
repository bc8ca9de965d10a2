"""Pieces shared by the metric selectors: rates, money, user names, and distributions
(count, mean, median, p90) computed by the database."""

from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import FloatField, Func, QuerySet

from gendan.core.money import cents
from gendan.org.models import User

CENT = Decimal("0.01")


def ratio(numerator, denominator) -> float | None:
    """A rate in [0, 1] (for well-formed inputs), or None when the denominator is 0."""
    if not denominator:
        return None
    return round(float(numerator) / float(denominator), 4)


def money(value) -> Decimal:
    """Two places, half up (SQLite may answer sums as floats)."""
    return cents(value)


def user_names(ids) -> dict[int, str]:
    """Display names of the users behind grouped rows: one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    users = User.objects.filter(pk__in=ids).only("username", "display_name", "first_name")
    return {u.pk: u.name for u in users}


class SecondsBetween(Func):
    """Seconds from `start` to `end` (two datetimes) as a float, on SQLite and PostgreSQL."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        sql = f"EXTRACT(EPOCH FROM ({end[0]} - {start[0]}))"
        return sql, (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        # Rounded to the millisecond: julianday() is a float of days.
        sql = f"ROUND((julianday({end[0]}) - julianday({start[0]})) * 86400.0, 3)"
        return sql, (*end[1], *start[1])


def _percentile(values: list[float], p: float) -> float | None:
    """PERCENTILE_CONT on an ordered list: linear interpolation between closest ranks."""
    if not values:
        return None
    rank = p * (len(values) - 1)
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


def distribution(queryset: QuerySet, *, key: str = "grp", value: str = "seconds") -> dict:
    """{key: {"count", "mean", "median", "p90"}} of `value` per `key` in a values() queryset.

    Count and mean are one GROUP BY. On PostgreSQL the median and p90 are PERCENTILE_CONT in the
    same query; on SQLite, which has no percentile aggregate, the values are fetched ordered by
    (key, value) — one column each, never the records — and the same interpolation is applied.
    `queryset` is a values(key, value) queryset (or a UNION ALL of them).
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a viewer who may see nothing
        return {}
    inner = f"SELECT {key} AS k, {value} AS v FROM ({sql}) AS s WHERE {value} IS NOT NULL"
    result: dict = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT k, COUNT(*), AVG(v), "
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v), "
                f"PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY v) FROM ({inner}) AS t GROUP BY k",
                params,
            )
            for k, count, mean, median, p90 in cursor.fetchall():
                result[k] = {
                    "count": count,
                    "mean": float(mean),
                    "median": float(median),
                    "p90": float(p90),
                }
            return result
        cursor.execute(f"SELECT k, v FROM ({inner}) AS t ORDER BY k, v", params)
        grouped: dict = {}
        for k, v in cursor.fetchall():
            grouped.setdefault(k, []).append(float(v))
    for k, values in grouped.items():
        result[k] = {
            "count": len(values),
            "mean": sum(values) / len(values),
            "median": _percentile(values, 0.5),
            "p90": _percentile(values, 0.9),
        }
    return result


def union_distribution(querysets: list[QuerySet], *, key="grp", value="seconds") -> dict:
    """`distribution` over the rows of several querysets taken together (UNION ALL)."""
    first, *rest = [qs.order_by().values(key, value) for qs in querysets]
    return distribution(first.union(*rest, all=True) if rest else first, key=key, value=value)


def days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 86400, 2)


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)
