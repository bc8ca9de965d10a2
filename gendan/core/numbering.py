"""Document numbers: a prefix, the year and a counter per prefix and year (Q-2026-00001)."""

from django.db import transaction
from django.utils import timezone

from gendan.core.models import Sequence


def next_number(prefix: str, *, when=None) -> str:
    """The next number for `prefix` this year; gap-free within a committed transaction."""
    year = (when or timezone.localdate()).year
    key = f"{prefix}-{year}"
    with transaction.atomic():
        Sequence.objects.get_or_create(key=key)
        # The row lock (PostgreSQL) or the write lock IMMEDIATE took (SQLite) serialises callers.
        sequence = Sequence.objects.select_for_update().get(key=key)
        sequence.value += 1
        sequence.save(update_fields=["value"])
    return f"{key}-{sequence.value:05d}"
