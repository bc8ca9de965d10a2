"""The demo organisation's public lead form, 官网咨询表单, and a few visitors who sent it.

Run after the demo is loaded and committed (`gendan demo`, the first `gendan run`): each
submission goes through the submission service as a visitor's would, so the playbook's
assignment rule gives every new lead to the next SDR of 华东销售部.
"""

from gendan.capture import services, submission
from gendan.capture.models import LeadForm
from gendan.org.models import User
from gendan.org.system import system_actor

FIELDS = [
    {"field": "name", "required": True},
    {"field": "company", "required": True},
    {"field": "phone", "required": True},
    {"field": "email"},
    {"field": "custom.budget_range"},
    {"field": "notes", "label_zh": "您的需求", "label_en": "What you need"},
]
VISITORS = (
    {
        "name": "陈静",
        "company": "苏州瑞丰精密",
        "phone": "139 1234 5601",
        "email": "chenjing@ruifeng.example",
        "custom.budget_range": "k100_500",
        "notes": "想了解 CRM 的私有化部署方案",
    },
    {
        "name": "刘洋",
        "company": "宁波海川物流",
        "phone": "138 2345 6702",
        "custom.budget_range": "k500_2m",
        "notes": "50 人销售团队，需要回款管理",
    },
    {
        "name": "赵敏",
        "company": "杭州云岚科技",
        "phone": "137 3456 7803",
        "email": "zhaomin@yunlan.example",
        "notes": "请安排产品演示",
    },
)


def demo_lead_forms() -> LeadForm | None:
    """The form and its submissions; None when there is no demo organisation to give them to
    (or the form is there already)."""
    owner = User.objects.filter(role__code="ops", team__name="华东销售部", is_active=True).first()
    if owner is None or LeadForm.objects.exists():
        return None
    form = services.form_create(
        actor=system_actor(),
        data={
            "name": "官网咨询表单",
            "owner_id": owner.pk,
            "fields": FIELDS,
            "tags": ["官网"],
            "title_zh": "预约产品演示",
            "title_en": "Book a product demo",
            "thanks_zh": "感谢您的咨询，我们的销售顾问会在一个工作日内与您联系。",
            "thanks_en": "Thank you: a sales consultant will call you within one working day.",
        },
    )
    for values in VISITORS:
        submission.form_submit(token=form.token, values=values)
    form.refresh_from_db()
    return form
