"""The duplicate check (查重) of customers and contacts, and the one entry for all three record
types: `duplicates_find` (what a record about to be saved matches) and `duplicate_groups`
(the duplicates page: the keys several records share)."""

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from gendan.core.errors import PermissionDenied, ValidationFailed
from gendan.core.match_keys import company_key, email_key, phone_key
from gendan.customers.models import Contact, Customer
from gendan.leads import duplicates as lead_duplicates
from gendan.org import duplicates
from gendan.org.choices import DUPLICATE_FIELDS, DuplicateField, DuplicateRecord
from gendan.org.people import person_name
from gendan.org.permissions import can

CUSTOMER = duplicates.Source(
    record_type=DuplicateRecord.CUSTOMER,
    model=Customer,
    keys={DuplicateField.COMPANY: "name_key"},
)
CONTACT = duplicates.Source(
    record_type=DuplicateRecord.CONTACT,
    model=Contact,
    keys={DuplicateField.PHONE: "phone_key", DuplicateField.EMAIL: "email_key"},
    owner="customer__owner",
    extra=("customer__name",),
)
SOURCES = {
    DuplicateRecord.LEAD: lead_duplicates.SOURCE,
    DuplicateRecord.CUSTOMER: CUSTOMER,
    DuplicateRecord.CONTACT: CONTACT,
}

# Groups per page of the duplicates page, and records shown per group.
GROUPS_PER_PAGE = 25
RECORDS_PER_GROUP = 5


def customer_keys(values) -> dict[str, str]:
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, "")
    return {DuplicateField.COMPANY: company_key(get("name"))}


def contact_keys(values) -> dict[str, str]:
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name, "")
    return {
        DuplicateField.PHONE: phone_key(get("phone")),
        DuplicateField.EMAIL: email_key(get("email")),
    }


KEYS = {
    DuplicateRecord.LEAD: lead_duplicates.lead_keys,
    DuplicateRecord.CUSTOMER: customer_keys,
    DuplicateRecord.CONTACT: contact_keys,
}


def key_columns(record_type: str, keys: dict[str, str]) -> dict[str, str]:
    source = SOURCES[record_type]
    return {source.keys[name]: key for name, key in keys.items()}


def _source(record_type: str) -> duplicates.Source:
    source = SOURCES.get(record_type)
    if source is None:
        raise ValidationFailed(errors={"record_type": _("Choose a lead, a customer or a contact.")})
    return source


def duplicates_find(*, actor, record_type: str, data: dict, exclude_id: int | None = None):
    """What a record of `record_type` with `data` (its fields as a form or an import has them)
    would duplicate, across the whole organisation: a list of `org.duplicates.Match`, each with
    the field that matched and the rule's action; id and name only for records in the actor's
    scope, the owner's name always. Bounded: one query for the rules, one per field, one for
    the scope. An import calls it per row before it calls the service."""
    source = _source(record_type)
    return duplicates.matches(
        actor=actor,
        source=source,
        keys=KEYS[record_type](data),
        actions=duplicates.rules_for(record_type),
        exclude_id=exclude_id,
    )


def can_read_duplicates(actor) -> bool:
    return can(actor, "read_duplicates")


def duplicate_groups(
    *, actor, record_type: str, field: str, after: str = "", limit: int = GROUPS_PER_PAGE
) -> tuple[list[dict], str | None]:
    """The keys that several records of `record_type` the actor may see share on `field`, in
    key order from just after `after`: ([{key, count, records: [...]}], the `after` of the
    next page or None). Read from the key's index (key, owner): the groups in one query, their
    first records in one more."""
    if not can_read_duplicates(actor):
        raise PermissionDenied()
    source = _source(record_type)
    if field not in DUPLICATE_FIELDS[record_type]:
        raise ValidationFailed(errors={"field": _("This record is not compared on this field.")})
    column = source.keys[field]
    scoped = source.model.objects.visible_to(actor).order_by()
    groups = list(
        scoped.filter(**{f"{column}__gt": after or ""})
        .values(column)
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by(column)
        .values_list(column, "count")[: limit + 1]
    )
    more = len(groups) > limit
    groups = groups[:limit]
    members = _members(source, scoped, column, [key for key, _n in groups])
    page = [{"key": key, "count": n, "records": members.get(key, [])} for key, n in groups]
    return page, (groups[-1][0] if more else None)


def _members(source, scoped, column: str, keys: list[str]) -> dict[str, list[dict]]:
    if not keys:
        return {}
    owner = duplicates.owner_columns(source)
    rows = (
        scoped.filter(**{f"{column}__in": keys})
        .annotate(
            rank=Window(RowNumber(), partition_by=[F(column)], order_by=F("pk").desc()),
        )
        .filter(rank__lte=RECORDS_PER_GROUP)
        .values_list(column, "pk", source.name, *source.extra, *owner)
    )
    members: dict[str, list[dict]] = {}
    for key, pk, name, *rest in rows:
        extra, names = rest[: len(source.extra)], rest[len(source.extra) :]
        members.setdefault(key, []).append(
            {
                "id": pk,
                "name": name,
                "detail": " ".join(str(e) for e in extra if e),
                "owner_name": person_name(*names),
            }
        )
    for records in members.values():
        records.sort(key=lambda r: -r["id"])
    return members
