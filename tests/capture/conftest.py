"""A public lead form given first to an operations user of team A, and helpers to send it."""

import pytest
from django.utils import translation

from gendan.capture import services
from gendan.fields import services as field_services
from tests.factories import UserFactory

FIELDS = [
    {"field": "name", "required": True},
    {"field": "company"},
    {"field": "phone", "required": True},
    {"field": "email"},
    {"field": "custom.budget_range", "required": True, "label_zh": "预算"},
]


@pytest.fixture(autouse=True)
def english():
    """The services' messages are read in English here (the pages choose their own)."""
    with translation.override("en"):
        yield


@pytest.fixture
def ops(org):
    return UserFactory(username="ops", role_code="ops", team=org.team_a)


@pytest.fixture
def budget(org):
    return field_services.field_create(
        actor=org.admin,
        data={
            "record_type": "lead",
            "key": "budget_range",
            "label_zh": "预算范围",
            "label_en": "Budget range",
            "type": "choice",
            "choices": [
                {"value": "small", "label_zh": "小", "label_en": "Small"},
                {"value": "large", "label_zh": "大", "label_en": "Large"},
            ],
        },
    )


@pytest.fixture
def lead_form(org, ops, budget):
    return services.form_create(
        actor=org.admin,
        data={
            "name": "Website enquiry",
            "owner_id": ops.pk,
            "fields": FIELDS,
            "tags": ["expo-2026"],
            "thanks_zh": "谢谢，我们会尽快联系您。",
            "thanks_en": "Thanks, we will call you soon.",
        },
    )


def visitor(**values) -> dict:
    return {
        "name": "王芳",
        "company": "星河制造",
        "phone": "138 0013 8000",
        "email": "",
        "custom.budget_range": "small",
        **values,
    }
