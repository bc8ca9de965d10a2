"""What a rule does: one module per action, each with `run(ctx, action)` (does it, answers
what it did) and `preview(ctx, action)` (what it would do, writing nothing:
`POST /rules/{id}/test`).

Actions write through the domain services as the system (`gendan/org/system.py`), so every
rule the services enforce holds for a rule's writes too; the timeline shows them as the
system's, and the run's row (`RuleRun`) says which rule did what.
"""

from gendan.automation.actions import (
    add_collaborator,
    assign,
    create_deal,
    create_task,
    escalate,
    move_to_pool,
    notify,
    set_field,
    webhook,
)
from gendan.automation.actions.base import ActionFailed, RunContext

__all__ = ["ActionFailed", "RunContext", "get"]

ACTIONS = {
    module.__name__.rsplit(".", 1)[1]: module
    for module in (
        assign,
        create_task,
        notify,
        escalate,
        add_collaborator,
        set_field,
        move_to_pool,
        webhook,
        create_deal,
    )
}


def get(kind: str):
    """(run, preview) for an action type."""
    module = ACTIONS[kind]
    return module.run, module.preview
