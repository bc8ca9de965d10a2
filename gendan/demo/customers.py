"""Planning the customers' own history: the visits after each won deal (回访) and the
customer's status (active, or churned when it has long bought nothing)."""

from itertools import pairwise

from gendan.customers.choices import CustomerStatus
from gendan.demo.context import Demo
from gendan.demo.plans import CustomerPlan


def plan_after_sales(demo: Demo, customers: list[CustomerPlan]) -> None:
    """Visits after each won deal (回访), by its account manager; the customer's status."""
    rng = demo.rng
    for plan in customers:
        plan.deals.sort(key=lambda d: d.t0)
        won = [d for d in plan.deals if d.kind == "won"]
        used: set[str] = set()
        for deal in won:
            am = next((u for u, r, _t in deal.collaborators if r == "am"), deal.owner)
            contact = plan.contacts[deal.contact_index][0]
            words = {"contact": contact.name, "name": contact.name}
            t = deal.closed_t
            for _i in range(rng.randint(1, 3)):
                t += rng.uniform(10, 60)
                if t >= -0.05:
                    break
                plan.acts.append(demo.act(t, "after", "after", am, words, used=used))
        plan.acts.sort(key=lambda a: a.t)
        for a, b in pairwise(plan.acts):
            a.next_t = b.t if b.t > a.t + 0.001 else None
        if plan.acts and rng.random() < 0.8:
            plan.acts[-1].next_t = plan.acts[-1].t + rng.uniform(60, 100)
        if won:
            quiet = all(d.kind != "open" for d in plan.deals)
            churned = quiet and won[-1].closed_t < -240 and rng.random() < 0.3
            plan.status = CustomerStatus.CHURNED if churned else CustomerStatus.ACTIVE
