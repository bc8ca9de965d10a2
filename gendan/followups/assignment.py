"""Bulk assignment: give many leads, customers or deals to another owner at once.

Each record goes through its own update service, so scope, reassignment rules, timeline
events and notifications are exactly those of a single edit; a record the actor may not
reassign is counted and skipped, the others are assigned.
"""

from dataclasses import dataclass

from gendan.core.errors import DomainError
from gendan.customers import services as customer_services
from gendan.deals import services as deal_services
from gendan.leads import services as lead_services

MAX_SELECTION = 200

UPDATERS = {
    "leads": lambda actor, pk, owner_id: lead_services.lead_update(
        actor=actor, lead_id=pk, data={"owner_id": owner_id}
    ),
    "customers": lambda actor, pk, owner_id: customer_services.customer_update(
        actor=actor, customer_id=pk, data={"owner_id": owner_id}
    ),
    "deals": lambda actor, pk, owner_id: deal_services.deal_update(
        actor=actor, deal_id=pk, data={"owner_id": owner_id}
    ),
}
KINDS = tuple(UPDATERS)


@dataclass(frozen=True)
class Assigned:
    done: int
    failed: int


def records_assign(*, actor, kind: str, ids: list[int], owner_id: int) -> Assigned:
    """Give the records `ids` of `kind` ("leads", "customers", "deals") to `owner_id`: at
    most MAX_SELECTION of them, each once, each in its own transaction."""
    update = UPDATERS[kind]
    done = failed = 0
    for pk in list(dict.fromkeys(ids))[:MAX_SELECTION]:
        try:
            update(actor, pk, owner_id)
            done += 1
        except DomainError:
            failed += 1
    return Assigned(done=done, failed=failed)
