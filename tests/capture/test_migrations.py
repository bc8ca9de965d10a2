"""The upgrade that moved a lead's form from the lead's column to capture's link row.

An installation at leads 0008 (the column `Lead.capture_form`) migrates forward: capture's 0002
copies every value into `CapturedLead` before leads' 0009 drops the column; migrating back
puts the values into the column again.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gendan.capture.models import CapturedLead
from gendan.leads.models import Lead

BEFORE = [("leads", "0008_lead_capture_form"), ("capture", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Serialized: the database is put back as it was after the test rather than flushed and filled
# again by post_migrate, whose content types then collide with the next serialized test's.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upgrade_keeps_the_form_that_made_each_lead_and_a_downgrade_puts_it_back():
    old = _migrate(BEFORE)
    user = old.get_model("org", "User").objects.create(username="mig")
    form = old.get_model("capture", "LeadForm").objects.create(
        name="Expo", token="t" * 32, owner=user
    )
    old_lead = old.get_model("leads", "Lead")
    made = [old_lead.objects.create(name=f"V{n}", owner=user, capture_form=form) for n in range(3)]
    typed = old_lead.objects.create(name="Typed", owner=user)

    _migrate(_latest())
    links = {link.lead_id: link for link in CapturedLead.objects.all()}
    assert set(links) == {lead.pk for lead in made}
    assert {link.form_id for link in links.values()} == {form.pk}
    assert links[made[0].pk].created_at == made[0].created_at
    assert list(Lead.objects.filter(captured__form_id=form.pk).order_by("pk")) == list(
        Lead.objects.filter(pk__in=[lead.pk for lead in made]).order_by("pk")
    )

    back = _migrate(BEFORE)
    column = dict(back.get_model("leads", "Lead").objects.values_list("pk", "capture_form_id"))
    assert column == {**{lead.pk: form.pk for lead in made}, typed.pk: None}
    _migrate(_latest())
    assert CapturedLead.objects.count() == 3
