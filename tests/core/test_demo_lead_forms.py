"""The demo's public lead form: published, sent three times, its leads given out by the rules."""

from gendan import demo
from gendan.demo.lead_forms import demo_lead_forms
from gendan.leads.models import Lead


def test_the_demo_form_makes_leads_the_assignment_rule_gives_to_sdrs(
    db, django_capture_on_commit_callbacks
):
    # given the small demo, with its playbook on
    demo.demo_load(size="small", seed=3)
    # when the demo's form is published and sent by its visitors
    with django_capture_on_commit_callbacks(execute=True):
        form = demo_lead_forms()
    # then it made three leads from the website form, each given to an SDR of 华东销售部
    assert form.name == "官网咨询表单" and form.submissions_count == 3
    leads = Lead.objects.filter(captured__form=form).select_related("owner__role", "owner__team")
    assert leads.count() == 3
    for lead in leads:
        assert lead.source == "web_form" and lead.tags == ["官网"]
        assert lead.owner.role.code == "sdr" and lead.owner.team.name == "华东销售部"
    assert leads.get(name="陈静").custom == {"budget_range": "k100_500"}
    # and publishing twice adds nothing
    assert demo_lead_forms() is None
