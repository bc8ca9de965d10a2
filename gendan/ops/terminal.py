"""What the operations commands print: in the terminal's language, figures readable."""

import os

from django.conf import settings
from django.utils.translation import gettext as _


def terminal_language() -> str:
    """The language of the operator's terminal (LC_ALL, LC_MESSAGES or LANG, the first that is
    set) when Gendan speaks it, else the organisation's (LANGUAGE_CODE)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(".")[0].lower()
        if value:
            if value.startswith("zh"):
                return "zh-hans"
            if value.startswith("en"):
                return "en"
            break
    return settings.LANGUAGE_CODE


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%.1f MB") % (size / 1024 / 1024)
    return _("%.1f KB") % (size / 1024)


def counts_lines(pairs: list[tuple[str, int]]) -> list[str]:
    """`  label  1,234` lines, the labels padded to one width."""
    width = max((len(label) for label, _rows in pairs), default=0)
    return [f"  {label.ljust(width)}  {rows:>9,}" for label, rows in pairs]
