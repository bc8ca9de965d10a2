"""`@username` mentions in comments.

A mention is `@` at the start of the text or after a character that cannot be part of a
username (so `bob@example.com` mentions nobody), followed by username characters
(letters, digits and `. @ + - _`). Names match active users case-insensitively. Chinese text
often runs straight on after a name (`@lihua请看报价`), so when the whole run is no user the
longest leading part that is one wins; unknown names are ignored.
"""

import re

from django.db.models.functions import Lower

from gendan.org.models import User

MENTION_RE = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
MAX_MENTIONS = 20
MAX_USERNAME = 150
_SEPARATORS = ".@+-"


def mention_tokens(body: str) -> list[str]:
    """The distinct names after `@`, in order of appearance (at most MAX_MENTIONS)."""
    tokens: list[str] = []
    for match in MENTION_RE.finditer(body or ""):
        token = match.group(1)[:MAX_USERNAME].lower()
        if token not in tokens:
            tokens.append(token)
        if len(tokens) >= MAX_MENTIONS:
            break
    return tokens


def _candidates(token: str) -> list[str]:
    """The token and its leading parts that end where a name plausibly ends, longest first."""
    cuts = [len(token)]
    for i in range(len(token) - 1, 0, -1):
        before, after = token[i - 1], token[i]
        if (
            after in _SEPARATORS
            or before in _SEPARATORS
            or not before.isascii()
            or not after.isascii()
        ):
            cuts.append(i)
    return [token[:i].rstrip(_SEPARATORS) for i in cuts if token[:i].rstrip(_SEPARATORS)]


def mentioned_users(body: str) -> list[User]:
    """Active users mentioned in `body`, in order of first mention; one query."""
    tokens = mention_tokens(body)
    if not tokens:
        return []
    candidates = {token: _candidates(token) for token in tokens}
    wanted = {name for names in candidates.values() for name in names}
    by_name: dict[str, list[User]] = {}
    users = (
        User.objects.filter(is_active=True)
        .select_related("role")
        .annotate(username_lower=Lower("username"))
        .filter(username_lower__in=wanted)
    )
    for user in users:
        by_name.setdefault(user.username.lower(), []).append(user)
    found: list[User] = []
    for token in tokens:
        for name in candidates[token]:
            if name in by_name:
                found.extend(u for u in by_name[name] if u not in found)
                break
    return found
