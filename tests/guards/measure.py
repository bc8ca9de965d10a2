"""Counting the queries of one request, and explaining a count that grew."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.org.models import ApiToken
from tests.guards.routes import Probe


@dataclass
class Measure:
    status: int
    queries: list[str]
    rows: int | None = None  # items in a JSON list answer, when it has some

    @property
    def count(self) -> int:
        return len(self.queries)


@dataclass
class Reader:
    """One user reading the API (bearer token) and the web pages (session) as a browser does."""

    user: object
    api: object  # tests.conftest.ApiClient
    web: Client = field(default_factory=Client)

    def __post_init__(self):
        self.web.force_login(self.user)

    def get(self, probe: Probe, ids: dict):
        client = self.api if probe.surface == "api" else self.web
        return client.get(probe.url(ids), probe.query(ids), headers=probe.headers)


def measure(reader: Reader, probe: Probe, ids: dict) -> Measure:
    # A token records its use at most once a minute: keep that write out of the count.
    ApiToken.objects.filter(user=reader.user).update(last_used_at=timezone.now())
    # Each read is measured cold: what is kept in the cache (the board's totals) would
    # otherwise hide its queries on one read and not the next.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = reader.get(probe, ids)
        if response.streaming:  # an export reads its rows as it is sent
            b"".join(response.streaming_content)
    return Measure(
        status=response.status_code,
        queries=[q["sql"] for q in ctx.captured_queries],
        rows=_rows(response) if probe.surface == "api" else None,
    )


def _rows(response) -> int | None:
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return None
    body = response.json()
    if isinstance(body, list):
        return len(body)
    if isinstance(body, dict) and "count" in body:
        return body["count"]
    if isinstance(body, dict) and "columns" in body:
        return sum(c.get("count", 0) for c in body["columns"])
    return None


# Explaining a failure ----------------------------------------------------------------------

_LITERALS = [
    (re.compile(r"'(?:[^']|'')*'"), "?"),  # strings
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),  # numbers
    (re.compile(r"\(\s*\?(?:\s*,\s*\?)*\s*\)"), "(?...)"),  # IN (?, ?, ?)
    (re.compile(r"\s+"), " "),
]


def shape(sql: str) -> str:
    """The SQL with its literals taken out: the same query for another row has the same shape."""
    for pattern, replacement in _LITERALS:
        sql = pattern.sub(replacement, sql)
    return sql.strip()


def brief(sql_shape: str) -> str:
    """A shape short enough to read: the selected columns (and their subqueries) left out."""
    depth = 0
    for index, char in enumerate(sql_shape):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql_shape.startswith(" FROM ", index):
            if sql_shape.startswith("SELECT "):
                sql_shape = "SELECT …" + sql_shape[index:]
            break
    return sql_shape[:300]


def repeated(small: Measure, large: Measure, limit: int = 5) -> list[str]:
    """Query shapes that ran more often with more rows, most repeated first."""
    before, after = Counter(map(shape, small.queries)), Counter(map(shape, large.queries))
    grown = [(n - before[s], n, s) for s, n in after.items() if n > before[s]]
    grown.sort(key=lambda g: (-g[0], g[2]))
    lines = [f"    {n - extra} → {n} times: {brief(s)}" for extra, n, s in grown[:limit]]
    return lines or ["    (no single query repeats more: the count grew by different queries)"]


def growth_report(label: str, small: Measure, large: Measure) -> str:
    return "\n".join(
        [
            f"  {label}: {small.count} queries with few rows, {large.count} with more rows",
            *repeated(small, large),
        ]
    )


def ceiling_report(label: str, m: Measure, ceiling: int) -> str:
    common = Counter(map(shape, m.queries)).most_common(3)
    return "\n".join(
        [f"  {label}: {m.count} queries, more than its ceiling of {ceiling}"]
        + [f"    {n} times: {brief(s)}" for s, n in common]
    )
