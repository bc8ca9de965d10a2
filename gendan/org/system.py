"""The actor of what no person does: automation rules, imports, the demo loader.

Every write goes through a service, and every service takes an actor. Where no person acts, the
caller passes `system_actor()`: a superuser that is no row of the database, so every record is
in its scope and no row names it as the one who acted (`recorded_actor` gives None for it,
which the timeline shows as the system).
"""

from gendan.org.models import User


def system_actor() -> User:
    return User(is_superuser=True, is_active=True, username="system")


def recorded_actor(actor) -> User | None:
    """The user a row may name as having acted: None for the system (or nobody)."""
    if actor is None or actor.pk is None:
        return None
    return actor
