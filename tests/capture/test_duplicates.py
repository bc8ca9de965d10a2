"""A public form and the duplicate check (查重): a blocking rule never loses a submission."""

from datetime import timedelta

from gendan.activities.models import TimelineEvent
from gendan.capture import submission
from gendan.leads import services as lead_services
from gendan.leads.models import Lead
from gendan.org import duplicates
from tests.capture.conftest import visitor


def test_a_warning_lets_the_form_make_its_lead_as_before(org, lead_form):
    lead_services.lead_create(actor=org.outsider, data={"name": "x", "phone": "13800138000"})
    result = submission.form_submit(token=lead_form.token, values=visitor())
    assert not result.merged
    assert Lead.objects.count() == 2
    assert Lead.objects.get(pk=result.lead.pk).phone_key == "13800138000"


def test_a_blocked_duplicate_completes_the_lead_it_matches_at_any_time(org, lead_form):
    old = lead_services.lead_create(
        actor=org.outsider, data={"name": "王芳", "phone": "+86 138-0013-8000"}
    )
    Lead.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=30))
    duplicates.rules_set(actor=org.admin, changes={"lead": {"phone": "block"}})
    result = submission.form_submit(token=lead_form.token, values=visitor(email="wf@example.com"))
    assert result.merged and result.lead.pk == old.pk
    assert Lead.objects.count() == 1
    old.refresh_from_db()
    assert old.email == "wf@example.com" and old.company == "星河制造"  # filled, nothing lost
    assert TimelineEvent.objects.filter(lead_id=old.pk, kind="form_submitted").exists()
