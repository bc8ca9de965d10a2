"""Lead forms through their services: publishing them, and what a submission writes."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.automation.services import playbook_enable
from gendan.capture import services, stamps, submission, tasks
from gendan.capture.models import CapturedLead, ContactKey, LeadForm, UsedStamp
from gendan.core.errors import NotFound, PermissionDenied, ValidationFailed
from gendan.leads.models import Lead
from tests.capture.conftest import FIELDS, visitor
from tests.factories import UserFactory


def test_only_an_administrator_publishes_a_form(org, ops, budget):
    with pytest.raises(PermissionDenied):
        services.form_create(
            actor=org.manager, data={"name": "x", "owner_id": ops.pk, "fields": FIELDS}
        )
    assert not LeadForm.objects.exists()


def test_a_form_is_checked_field_by_field_before_anything_is_written(org, ops, budget):
    with pytest.raises(ValidationFailed) as exc:
        services.form_create(
            actor=org.admin,
            data={
                "name": "x",
                "owner_id": ops.pk,
                "fields": [{"field": "name"}, {"field": "salary"}, {"field": "name"}],
            },
        )
    assert set(exc.value.errors) == {"fields.1.field", "fields.2.field"}
    with pytest.raises(ValidationFailed) as exc:
        services.form_create(
            actor=org.admin, data={"name": "x", "owner_id": ops.pk, "fields": [{"field": "name"}]}
        )
    assert "fields" in exc.value.errors  # no way to reach the person
    with pytest.raises(ValidationFailed) as exc:
        services.form_create(
            actor=org.admin,
            data={"name": " ", "owner_id": 0, "fields": FIELDS, "redirect_url": "javascript:x"},
        )
    assert set(exc.value.errors) == {"name", "owner_id", "redirect_url"}
    with pytest.raises(ValidationFailed) as exc:
        services.form_create(actor=org.admin, data={"name": "x", "colour": "red"})
    assert exc.value.errors == {"colour": "Unknown field."}
    assert not LeadForm.objects.exists()


def test_a_token_is_unguessable_and_regenerated(org, lead_form):
    assert len(lead_form.token) >= 32
    old = lead_form.token
    form = services.form_regenerate_token(actor=org.admin, form_id=lead_form.pk)
    assert form.token != old
    with pytest.raises(NotFound):
        submission.form_submit(token=old, values=visitor())


def test_a_submission_makes_a_lead_with_the_forms_source_tags_and_values(org, ops, lead_form):
    result = submission.form_submit(token=lead_form.token, values=visitor(ignored="x"))
    lead = Lead.objects.get()
    assert result.lead == lead and not result.merged
    assert (lead.name, lead.company, lead.phone) == ("王芳", "星河制造", "138 0013 8000")
    assert lead.source == "web_form" and lead.tags == ["expo-2026"]
    assert lead.owner == ops and lead.captured.form_id == lead_form.pk
    assert lead.custom == {"budget_range": "small"}
    assert TimelineEvent.objects.filter(lead=lead, kind="created").exists()
    lead_form.refresh_from_db()
    assert lead_form.submissions_count == 1


def test_the_assignment_rules_give_a_form_lead_to_the_teams_sdr(
    org, lead_form, django_capture_on_commit_callbacks
):
    sdr = UserFactory(role_code="sdr", team=org.team_a)
    playbook_enable(actor=org.admin, key="lead_round_robin")
    with django_capture_on_commit_callbacks(execute=True):
        submission.form_submit(token=lead_form.token, values=visitor())
    assert Lead.objects.get().owner == sdr


def test_required_fields_and_custom_values_are_checked_per_field(lead_form):
    with pytest.raises(ValidationFailed) as exc:
        submission.form_submit(
            token=lead_form.token,
            values=visitor(name="", phone="call me", **{"custom.budget_range": "huge"}),
        )
    assert set(exc.value.errors) == {"name", "phone", "custom.budget_range"}
    with pytest.raises(ValidationFailed) as exc:
        submission.form_submit(token=lead_form.token, values=visitor(name="x" * 121))
    assert exc.value.errors == {"name": "At most 120 characters."}
    assert not Lead.objects.exists()


def test_a_filled_honeypot_is_thanked_and_nothing_is_written(lead_form):
    result = submission.form_submit(token=lead_form.token, values=visitor(), honeypot="http://x")
    assert result.lead is None
    assert not Lead.objects.exists() and not ContactKey.objects.exists()
    lead_form.refresh_from_db()
    assert lead_form.submissions_count == 0


def test_an_archived_or_paused_form_answers_not_found(org, lead_form):
    services.form_archive(actor=org.admin, form_id=lead_form.pk)
    with pytest.raises(NotFound):
        submission.form_submit(token=lead_form.token, values=visitor())
    services.form_archive(actor=org.admin, form_id=lead_form.pk, archived=False)
    services.form_update(actor=org.admin, form_id=lead_form.pk, data={"is_active": False})
    with pytest.raises(NotFound):
        submission.form_submit(token=lead_form.token, values=visitor())
    assert not Lead.objects.exists()


def test_the_same_person_within_a_day_completes_the_first_lead(org, ops, lead_form):
    first = submission.form_submit(token=lead_form.token, values=visitor(company="")).lead
    other = services.form_create(
        actor=org.admin,
        data={"name": "Expo", "owner_id": ops.pk, "fields": FIELDS[:4], "source": "campaign"},
    )
    # the same phone written another way, on another form
    again = submission.form_submit(
        token=other.token, values=visitor(name="王女士", phone="+86 13800138000", company="星河")
    )
    assert again.merged and again.lead.pk == first.pk
    lead = Lead.objects.get()
    assert lead.name == "王芳" and lead.company == "星河"  # filled, not overwritten
    event = TimelineEvent.objects.get(lead=lead, kind="form_submitted")
    assert event.data["name"] == "Expo" and event.data["values"]["name"] == "王女士"
    # and the e-mail, in another case, finds it too
    submission.form_submit(
        token=lead_form.token, values=visitor(phone="139 0000 0000", email="Wang@Example.com")
    )
    submission.form_submit(
        token=other.token, values=visitor(phone="137 0000 0000", email="wang@example.COM ")
    )
    assert Lead.objects.count() == 2


def test_the_same_person_after_a_day_is_a_new_lead(lead_form):
    first = submission.form_submit(token=lead_form.token, values=visitor()).lead
    Lead.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(hours=25))
    ContactKey.objects.update(lead_created_at=first.created_at - timedelta(hours=25))
    again = submission.form_submit(token=lead_form.token, values=visitor())
    assert not again.merged and Lead.objects.count() == 2
    assert ContactKey.objects.get().lead_id == again.lead.pk


def test_the_lead_a_form_makes_is_linked_to_it_and_a_completion_adds_no_link(org, lead_form):
    lead = submission.form_submit(token=lead_form.token, values=visitor()).lead
    link = CapturedLead.objects.get()
    assert (link.lead, link.form, link.created_at) == (lead, lead_form, lead.created_at)
    again = submission.form_submit(token=lead_form.token, values=visitor(email="w@example.com"))
    assert again.merged and CapturedLead.objects.count() == 1
    services.form_archive(actor=org.admin, form_id=lead_form.pk)  # the lead keeps its form
    assert Lead.objects.get(captured__form=lead_form) == lead


def test_a_stamp_is_used_once_and_only_by_the_submission_that_is_kept(lead_form):
    stamp = stamps.stamp_make(lead_form.token)
    with pytest.raises(ValidationFailed):  # refused for its values: the stamp stays unused
        submission.form_submit(token=lead_form.token, values=visitor(phone=""), stamp=stamp)
    assert not UsedStamp.objects.exists()
    submission.form_submit(token=lead_form.token, values=visitor(), stamp=stamp)
    with pytest.raises(stamps.StampUsed):
        submission.form_submit(token=lead_form.token, values=visitor(), stamp=stamp)
    assert Lead.objects.count() == 1
    used = UsedStamp.objects.get()
    assert used.expires_at > timezone.now() + timedelta(hours=stamps.STAMP_HOURS - 1)


def test_a_robots_stamp_is_used_up_too(lead_form):
    stamp = stamps.stamp_make(lead_form.token)
    submission.form_submit(token=lead_form.token, values=visitor(), honeypot="x", stamp=stamp)
    with pytest.raises(stamps.StampUsed):
        submission.form_submit(token=lead_form.token, values=visitor(), stamp=stamp)
    assert not Lead.objects.exists()


class _SignedEarlier(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - stamps.STAMP_HOURS * 3600 - 60)


@pytest.mark.parametrize("kind", ["forged", "other form", "too old", "bare token"])
def test_a_stamp_not_made_for_this_form_lately_is_refused(org, ops, lead_form, kind):
    other = services.form_create(
        actor=org.admin, data={"name": "Expo", "owner_id": ops.pk, "fields": FIELDS[:4]}
    )
    fresh = {"form": lead_form.token, "once": "abc"}
    stamp = {
        "forged": stamps.stamp_make(lead_form.token)[:-2] + "xx",
        "other form": stamps.stamp_make(other.token),
        "too old": _SignedEarlier(salt=stamps.STAMP_SALT).sign_object(fresh),
        "bare token": signing.dumps(lead_form.token, salt=stamps.STAMP_SALT),  # before single use
    }[kind]
    with pytest.raises(stamps.StampExpired):
        submission.form_submit(token=lead_form.token, values=visitor(), stamp=stamp)
    assert not Lead.objects.exists() and not UsedStamp.objects.exists()


def test_used_stamps_are_purged_once_they_would_be_refused_anyway(lead_form):
    for _n in range(2):
        stamp = stamps.stamp_make(lead_form.token)
        stamps.stamp_use(stamp=stamp, token=lead_form.token)
    UsedStamp.objects.filter(pk=UsedStamp.objects.earliest("pk").pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert tasks.used_stamps_purge.call_local() == 1
    assert UsedStamp.objects.count() == 1
    assert stamps.stamps_purge(now=timezone.now() + timedelta(hours=13)) == 1
