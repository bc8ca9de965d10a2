"""Figures kept in the cache until what they are made of changes.

Each kind of kept figure has a generation mark in the cache; a change to what the figures are
made of sets a new mark (`changed`), and figures kept under an older mark are never read
again (they expire on their own). The mark is set when the change is made and once more when
its transaction commits, so a figure computed in between, from the data before the change,
cannot outlive it. Figures computed inside a transaction may count changes that are not
committed (and may never be): they are computed, not kept.
"""

import hashlib
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction


def changed(kind: str) -> None:
    """Forget every kept figure of `kind`: now, and again when the transaction commits."""
    _new_generation(kind)
    transaction.on_commit(lambda: _new_generation(kind))


def forget_on_change(kind: str, *models) -> None:
    """Forget the kept figures of `kind` whenever a row of one of `models` is saved or deleted
    (`models` as classes or "app_label.Model" names). Rows written with `update()` or raw SQL
    call `changed(kind)` themselves."""
    from django.db.models.signals import post_delete, post_save

    def receiver(**_kwargs) -> None:
        changed(kind)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"{kind}:{model}")


def kept(kind: str, key: str, compute, seconds: int):
    """`compute()`, kept under `key` until `kind` changes (or for `seconds` at most)."""
    if connection.in_atomic_block:
        return compute()
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    full_key = f"kept:{kind}:{_generation(kind)}:{digest}"
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
