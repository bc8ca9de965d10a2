"""The duplicate check (查重) of leads: a lead matches another on its phone, e-mail or company."""

from gendan.core.match_keys import company_key, email_key, phone_key
from gendan.leads.models import Lead
from gendan.org.choices import DuplicateField, DuplicateRecord
from gendan.org.duplicates import Source

SOURCE = Source(
    record_type=DuplicateRecord.LEAD,
    model=Lead,
    keys={
        DuplicateField.PHONE: "phone_key",
        DuplicateField.EMAIL: "email_key",
        DuplicateField.COMPANY: "company_key",
    },
    extra=("company",),
)


def lead_keys(values) -> dict[str, str]:
    """{field: key} of a lead's values: a dict of them, or a lead."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, "")
    return {
        DuplicateField.PHONE: phone_key(get("phone")),
        DuplicateField.EMAIL: email_key(get("email")),
        DuplicateField.COMPANY: company_key(get("company")),
    }


def key_columns(keys: dict[str, str]) -> dict[str, str]:
    """The lead's columns that hold `keys`."""
    return {SOURCE.keys[name]: key for name, key in keys.items()}
