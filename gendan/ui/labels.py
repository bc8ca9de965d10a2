"""The label of a model choice field's value, as list pages and exported lists show it.

Django's own `get_<field>_display` builds a dict of every choice and hashes each (lazy) label
on each call, which on a long list costs more than the rest of the row. Here a label is looked
up once per model field, language and value, and kept for the life of the process (choices
are the code's, so they never change while it runs).
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language

_labels: dict = {}


def choice_label(record, name: str) -> str:
    """The label of `record.<name>` in the active language (the value itself when it is no
    choice), as `get_<name>_display()` answers it."""
    raw = getattr(record, name)
    key = (record._meta.label, name, get_language(), raw)
    label = _labels.get(key)
    if label is None:
        field = record._meta.get_field(name)
        label = _labels[key] = str(dict(field.flatchoices).get(raw, raw))
    return label


def choice_display(name: str) -> Callable[[Any], str]:
    """`choice_label` of one field, as a function of the record (an exported list's column)."""
    return lambda record: choice_label(record, name)
