"""The board's column totals, kept in the cache until a deal changes.

A column's count and amount cover every deal of the stage the viewer may see: for a director
over the whole company, or an admin, that is a read of hundreds of thousands of index entries
on each view of the board, mostly for the won and lost columns, which rarely change. The
totals are kept per viewer's scope and filter under a generation mark; any change of a deal,
a collaboration or a person (who is in which team) sets a new mark, so a board never shows
totals older than the last change. The mark is set when the change is made and again when
its transaction commits, so a board read in between cannot keep the totals of before.
"""

import hashlib
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction

from gendan.core.scoping import effective_scope, team_ids

GENERATION_KEY = "deals:generation"
# A safety net for changes made outside the application (SQL by hand, a restored backup).
TOTALS_SECONDS = 300


def deals_changed(**_kwargs) -> None:
    """Forget every kept total: now, and once more when the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, None)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _scope_key(actor) -> str:
    scope = effective_scope(actor)
    if scope == "all":
        return "all"
    teams = ",".join(str(i) for i in sorted(team_ids(actor))) if scope == "team" else ""
    return f"{scope}:{actor.pk}:{teams}"


def column_totals(actor, pipeline_id: int, filters: tuple, compute) -> dict:
    """`compute()` (stage id → {count, amount}), kept for this viewer's scope and filters.

    Inside a transaction the totals may count changes that are not committed yet (and may
    never be): those are computed, not kept."""
    if connection.in_atomic_block:
        return compute()
    raw = f"{_scope_key(actor)}|{pipeline_id}|{filters!r}"
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    key = f"deals:totals:{_generation()}:{digest}"
    totals = cache.get(key)
    if totals is None:
        totals = compute()
        cache.set(key, totals, TOTALS_SECONDS)
    return totals
