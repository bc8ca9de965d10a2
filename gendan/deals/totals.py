"""The board's column totals, kept in the cache until a deal changes.

A column's count and amount cover every deal of the stage the viewer may see: for a director
over the whole company, or an admin, that is a read of hundreds of thousands of index entries
on each view of the board, mostly for the won and lost columns, which rarely change. The
totals are kept per viewer's scope and filter (gendan/core/kept.py); the deal services say
when a deal or a collaboration changed (`deals_changed`) and the people services when a person
did (who is in which team, `people_changed`), which forgets them all, so a board never shows
totals older than the last change.
"""

from gendan.core.kept import changed, kept
from gendan.org.people import PEOPLE
from gendan.org.scoping import scope_key

KIND = "deal-totals"
# A safety net for changes made outside the application (SQL by hand, a restored backup).
TOTALS_SECONDS = 300


def deals_changed() -> None:
    """Forget every kept total: a deal or who works on it changed."""
    changed(KIND)


def column_totals(actor, pipeline_id: int, filters: tuple, compute) -> dict:
    """`compute()` (stage id → {count, amount}), kept for this viewer's scope and filters."""
    key = f"{scope_key(actor)}|{pipeline_id}|{filters!r}"
    return kept((KIND, PEOPLE), key, compute, TOTALS_SECONDS)
