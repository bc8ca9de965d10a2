"""The people a user may pick as an owner or assignee, as the pickers show them."""

from typing import NamedTuple

from gendan.core.kept import changed, kept
from gendan.org.models import User
from gendan.org.scoping import assignable_user_ids_q, scope_key


class Person(NamedTuple):
    """One entry of a people picker: all a picker shows of a user. A big organisation lists
    thousands of people on a page, and whole `User` rows cost more than the rest of it."""

    pk: int
    name: str


# Kept in the cache until someone is added, changed or removed (`people_changed`).
PEOPLE = "people"


def people_changed() -> None:
    """Forget the kept pickers (and the figures that depend on who is in which team)."""
    changed(PEOPLE)


def assignable_users(actor) -> list[Person]:
    q = assignable_user_ids_q(actor)
    if q is None:
        return []

    def people() -> list[Person]:
        rows = User.objects.filter(q).order_by("username").values_list(*PICKER_FIELDS)
        return [Person(pk, person_name(*rest)) for pk, *rest in rows]

    return kept(PEOPLE, scope_key(actor), people, 300)


# What a people picker reads of each user, in the order `person_name` takes them.
PICKER_FIELDS = ("id", "username", "display_name", "first_name", "last_name")


def person_name(username: str, display_name: str, first_name: str, last_name: str) -> str:
    """`User.name` from its columns."""
    return display_name or f"{first_name} {last_name}".strip() or username
