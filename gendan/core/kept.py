"""Figures kept in the cache until what they are made of changes.

Each kind of kept figure has a generation mark in the cache; the service that changes what
the figures are made of says so (`changed`), which sets a new mark, and figures kept under an
older mark are never read again (they expire on their own). A figure may be made of several
kinds (the board's totals: deals, and who is in which team); it is kept under all their
marks. The mark is set when the change is made and once more when its transaction commits, so
a figure computed in between, from the data before the change, cannot outlive it. Figures
computed inside a transaction may count changes that are not committed (and may never be):
they are computed, not kept.
"""

import hashlib
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction


def changed(kind: str) -> None:
    """Forget every kept figure of `kind`: now, and again when the transaction commits."""
    _new_generation(kind)
    transaction.on_commit(lambda: _new_generation(kind))


def kept(kinds: str | tuple[str, ...], key: str, compute, seconds: int):
    """`compute()`, kept under `key` until one of `kinds` changes (or for `seconds` at most)."""
    if connection.in_atomic_block:
        return compute()
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    marks = ":".join(_generation(kind) for kind in kinds)
    full_key = f"kept:{'+'.join(kinds)}:{marks}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, seconds)
    return value


def _new_generation(kind: str) -> None:
    cache.set(f"kept:{kind}:generation", uuid4().hex, None)


def _generation(kind: str) -> str:
    key = f"kept:{kind}:generation"
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid4().hex, None)
        generation = cache.get(key)
    return generation
