"""The duplicate check (查重) of customers (by name) and contacts (by phone and e-mail)."""

import pytest

from gendan.core.errors import DuplicatesFound
from gendan.customers import duplicates as finder
from gendan.customers import services
from gendan.customers.models import Customer
from gendan.org import duplicates


def _customer(actor, name):
    return services.customer_create(actor=actor, data={"name": name})


def test_a_customer_written_another_way_is_a_duplicate(org):
    _customer(org.outsider, "上海启明软件有限公司")
    again = _customer(org.owner, "上海 启明软件")
    [match] = again.duplicates
    assert (match.record_type, match.field, match.owner_name, match.id) == (
        "customer",
        "company",
        org.outsider.name,
        None,
    )
    again.refresh_from_db()
    assert again.name_key == "上海启明软件"


def test_a_blocked_customer_name_is_refused_on_create_and_on_rename(org):
    _customer(org.outsider, "Acme Co., Ltd.")
    other = _customer(org.owner, "Globex")
    duplicates.rules_set(actor=org.admin, changes={"customer": {"company": "block"}})
    with pytest.raises(DuplicatesFound):
        _customer(org.owner, "ACME")
    with pytest.raises(DuplicatesFound):
        services.customer_update(actor=org.owner, customer_id=other.pk, data={"name": "acme inc"})
    assert Customer.objects.count() == 2
    other.refresh_from_db()
    assert other.name == "Globex"


def test_a_contacts_phone_and_email_are_compared_and_scoped_by_its_customer(org):
    theirs = _customer(org.outsider, "West Co")
    mine = _customer(org.owner, "East Co")
    services.contact_create(
        actor=org.outsider, data={"customer_id": theirs.pk, "name": "张三", "phone": "13800138000"}
    )
    visible = services.contact_create(
        actor=org.owner, data={"customer_id": mine.pk, "name": "李四", "email": "Li@East.cn"}
    )
    contact = services.contact_create(
        actor=org.owner,
        data={
            "customer_id": mine.pk,
            "name": "王五",
            "phone": "+86 138 0013 8000",
            "email": "li@east.cn",
        },
    )
    shown = {(m.field, m.id, m.owner_name) for m in contact.duplicates}
    assert shown == {("phone", None, org.outsider.name), ("email", visible.pk, org.owner.name)}
    duplicates.rules_set(actor=org.admin, changes={"contact": {"email": "block"}})
    # A contact whose own key does not change is not refused; one that takes another's is.
    services.contact_update(actor=org.owner, contact_id=contact.pk, data={"email": "LI@east.cn "})
    other = services.contact_create(
        actor=org.owner, data={"customer_id": mine.pk, "name": "赵六", "wechat": "z6"}
    )
    with pytest.raises(DuplicatesFound):
        services.contact_update(actor=org.owner, contact_id=other.pk, data={"email": "li@EAST.cn"})
    other.refresh_from_db()
    assert other.email == "" and other.email_key == ""


def test_contact_groups_are_scoped_by_the_customer(org):
    theirs = _customer(org.outsider, "West Co")
    mine = _customer(org.owner, "East Co")
    for customer, actor in ((theirs, org.outsider), (theirs, org.outsider), (mine, org.owner)):
        services.contact_create(
            actor=actor, data={"customer_id": customer.pk, "name": "x", "phone": "13800138000"}
        )
    groups, _after = finder.duplicate_groups(actor=org.admin, record_type="contact", field="phone")
    assert [g["count"] for g in groups] == [3]
    groups, _after = finder.duplicate_groups(
        actor=org.manager, record_type="contact", field="phone"
    )
    assert groups == []  # only one of the three is in team A
