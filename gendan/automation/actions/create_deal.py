"""create_deal: a new deal for the record's customer in the default pipeline's first open
stage (a renewal, an upsell), through the deal service."""

from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions.base import ActionFailed, RunContext, user_ref
from gendan.core.errors import ValidationFailed
from gendan.deals import services as deal_services
from gendan.org.system import system_actor


def _plan(ctx: RunContext, action: dict) -> dict:
    customer = records.customer_of(ctx.record)
    owner = records.person(ctx.record, action.get("owner", "customer_owner"))
    amount = getattr(ctx.record, "amount", None) if action.get("copy_amount") else None
    return {
        "name": records.render(action["name"], ctx.record)[:200],
        "customer": customer,
        "owner": owner,
        "amount": amount,
        "currency": getattr(ctx.record, "currency", "CNY"),
    }


def preview(ctx: RunContext, action: dict) -> dict:
    plan = _plan(ctx, action)
    return {
        **plan,
        "customer": plan["customer"].pk if plan["customer"] else None,
        "owner": user_ref(plan["owner"]),
        "amount": records.jsonable(plan["amount"]),
    }


def run(ctx: RunContext, action: dict) -> dict:
    plan = _plan(ctx, action)
    customer, owner = plan.pop("customer"), plan.pop("owner")
    if owner is None or customer is None:
        raise ActionFailed(_("The new deal needs a customer and an owner."))
    data = {**plan, "customer_id": customer.pk, "owner_id": owner.pk}
    try:
        deal = deal_services.deal_create(actor=system_actor(), data=data)
    except ValidationFailed as exc:
        if "pipeline_id" in exc.errors or "stage_id" in exc.errors:
            raise ActionFailed(_("There is no default pipeline with an open stage.")) from exc
        raise
    return {"deal_id": deal.pk, "name": deal.name, "owner": user_ref(owner)}
