"""The idle clock of the "7 days without a follow-up: back to the pool" rule: a claim or an
assignment starts it again, so the rule never takes a lead back from its new owner before the
rule's own period has passed since they got it."""

from datetime import timedelta

from django.utils import timezone

from gendan.automation import engine
from gendan.automation.services import playbook_enable
from gendan.leads import pool
from gendan.leads.models import Lead
from gendan.leads.services import lead_update
from tests.factories import LeadFactory


def _idle_for(days: int, **kwargs) -> Lead:
    lead = LeadFactory(**kwargs)
    Lead.objects.filter(pk=lead.pk).update(created_at=timezone.now() - timedelta(days=days))
    return Lead.objects.get(pk=lead.pk)


def test_a_claimed_lead_stays_with_its_claimer_until_the_rule_period_passes(org):
    playbook_enable(actor=None, key="lead_idle_7d_pool")
    lead = _idle_for(30, owner=org.owner)
    engine.tick(at=timezone.now())
    assert Lead.objects.get(pk=lead.pk).in_pool

    claimed = pool.lead_claim(actor=org.peer, lead_id=lead.pk)
    assert claimed.owned_since is not None
    for later in (timedelta(minutes=1), timedelta(hours=1), timedelta(days=6, hours=23)):
        engine.tick(at=claimed.owned_since + later)
        lead.refresh_from_db()
        assert not lead.in_pool and lead.owner_id == org.peer.pk, later

    # a week after the claim without a follow-up, the rule takes it back
    engine.tick(at=claimed.owned_since + timedelta(days=7, minutes=1))
    assert Lead.objects.get(pk=lead.pk).in_pool


def test_an_assignment_starts_the_idle_clock_again(org):
    playbook_enable(actor=None, key="lead_idle_7d_pool")
    lead = _idle_for(30, owner=org.owner)
    untouched = _idle_for(30, owner=org.owner)

    assigned = lead_update(actor=org.manager, lead_id=lead.pk, data={"owner_id": org.peer.pk})
    engine.tick(at=timezone.now() + timedelta(minutes=1))

    assert not Lead.objects.get(pk=assigned.pk).in_pool
    assert Lead.objects.get(pk=untouched.pk).in_pool  # still idle since its creation
    # an edit that keeps the owner does not
    kept = lead_update(actor=org.peer, lead_id=lead.pk, data={"title": "CTO"})
    assert kept.owned_since == assigned.owned_since
