"""One choice label helper (ui.labels) for the list pages and the exported lists: the label
Django's `get_<field>_display` gives, in the reader's language, the value itself for an
unknown one."""

from django.test import Client
from django.utils import translation

from gendan.analytics.list_columns import LEADS
from gendan.ui.labels import choice_display, choice_label
from tests.factories import DealFactory, LeadFactory


def test_the_label_is_djangos_in_each_language(org):
    lead = LeadFactory(owner=org.owner, source="referral", status="qualified")
    deal = DealFactory(owner=org.owner, risk_level="high")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert choice_label(lead, "source") == lead.get_source_display()
            assert choice_label(lead, "status") == lead.get_status_display()
            assert choice_display("risk_level")(deal) == deal.get_risk_level_display()
    with translation.override("zh-hans"):
        assert choice_label(lead, "source") != "Referral"  # kept per language
    lead.source = "no_such_source"
    assert choice_label(lead, "source") == "no_such_source"


def test_the_export_and_the_list_page_show_the_same_label(org):
    lead = LeadFactory(owner=org.owner, source="referral")
    with translation.override("en"):
        source_column = next(c for c in LEADS.columns if str(c.label) == "Source")
    with translation.override("zh-hans"):
        label = source_column.value(lead)
        assert label == lead.get_source_display()
    client = Client()
    client.force_login(org.owner)
    page = client.get("/leads/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert f'<td class="d-none d-lg-table-cell">{label}</td>' in page
