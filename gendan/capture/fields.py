"""Which lead fields a public form may show, and what each is called on the page."""

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gendan.fields.choices import FieldType, RecordType
from gendan.fields.models import CustomField
from gendan.fields.selectors import definitions

# The built-in lead fields a visitor may fill, with their longest value.
BUILT_IN = {
    "name": (pgettext_lazy("person", "Name"), 120),
    "company": (_("Company"), 200),
    "title": (_("Title"), 120),
    "phone": (_("Phone"), 32),
    "email": (_("Email"), 254),
    "wechat": (_("WeChat"), 64),
    "notes": (_("Message"), 2000),
}
# A lead needs one way to reach the person (leads.services): a form shows one of these.
CONTACT_POINTS = ("phone", "email", "wechat", "company")
# Custom fields a stranger may not be shown (a user field would list the team's people).
NOT_PUBLIC = (FieldType.USER,)
CUSTOM = "custom."
MAX_FIELDS = 20


def custom_fields() -> dict[str, CustomField]:
    """The lead custom fields a form may show, by key."""
    return {f.key: f for f in definitions(RecordType.LEAD) if f.type not in NOT_PUBLIC}


def choices() -> list[tuple[str, str]]:
    """Every field a form may show: (`name` or `custom.<key>`, its label)."""
    zh = (get_language() or "").startswith("zh")
    built_in = [(name, str(label)) for name, (label, _n) in BUILT_IN.items()]
    custom = [
        (CUSTOM + f.key, (f.label_zh if zh else f.label_en) or f.key)
        for f in custom_fields().values()
    ]
    return built_in + custom
