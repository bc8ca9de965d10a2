"""The duplicate check (查重) of leads through the services: warn, block, ask, and what an
actor learns of a match outside their scope."""

import pytest

from gendan.core.errors import DuplicatesFound, PermissionDenied, ValidationFailed
from gendan.customers import duplicates as finder
from gendan.leads import services
from gendan.leads.models import Lead
from gendan.org import duplicates


def _lead(actor, **values):
    return services.lead_create(actor=actor, data={"name": "李伟", **values})


def _block(org, record="lead", **fields):
    duplicates.rules_set(actor=org.admin, changes={record: fields})


def test_the_keys_are_stored_on_create_and_follow_an_update(org):
    lead = _lead(org.owner, phone="+86 138-0013-8000", email=" Li@X.cn", company="启明软件有限公司")
    lead.refresh_from_db()
    assert (lead.phone_key, lead.email_key, lead.company_key) == (
        "13800138000",
        "li@x.cn",
        "启明软件",
    )
    services.lead_update(actor=org.owner, lead_id=lead.pk, data={"phone": "139 0000 1111"})
    lead.refresh_from_db()
    assert lead.phone_key == "13900001111"


def test_a_duplicate_phone_warns_with_the_owners_name(org):
    first = _lead(org.outsider, phone="13800138000")
    second = _lead(org.owner, phone="+86 138 0013 8000")
    assert second.pk  # a warning does not stop the service
    [match] = second.duplicates
    assert match.field == "phone" and match.action == "warn"
    assert match.owner_name == org.outsider.name
    # The outsider's lead is outside the owner's scope: the owner's name and nothing else.
    assert match.id is None and match.name == "" and not match.visible
    assert match.as_dict()["name"] is None
    assert first.pk not in {m.id for m in second.duplicates}


def test_a_match_in_scope_comes_with_its_id_and_name(org):
    mine = _lead(org.owner, email="li@x.cn", company="启明软件")
    found = finder.duplicates_find(
        actor=org.manager,
        record_type="lead",
        data={"email": "LI@x.cn ", "company": "启明软件有限公司"},
    )
    assert {(m.field, m.id, m.name, m.owner_name) for m in found} == {
        ("email", mine.pk, "李伟", org.owner.name),
        ("company", mine.pk, "李伟", org.owner.name),
    }


def test_matches_cross_the_whole_org_but_scope_decides_what_is_shown(org):
    _lead(org.owner, phone="13800138000")
    _lead(org.outsider, phone="13800138000")
    found = finder.duplicates_find(
        actor=org.peer, record_type="lead", data={"phone": "13800138000"}
    )
    assert sorted(m.owner_name for m in found) == sorted([org.owner.name, org.outsider.name])
    assert all(m.id is None for m in found)  # the peer sees neither (own scope)
    by_manager = finder.duplicates_find(
        actor=org.manager, record_type="lead", data={"phone": "13800138000"}
    )
    shown = {m.owner_name: m.visible for m in by_manager}
    assert shown == {org.owner.name: True, org.outsider.name: False}


def test_a_blocking_rule_refuses_and_writes_nothing(org):
    _lead(org.outsider, phone="13800138000")
    _block(org, phone="block")
    with pytest.raises(DuplicatesFound) as exc:
        _lead(org.owner, phone="138-0013-8000", company="新公司")
    assert exc.value.blocked and exc.value.status == 409
    assert exc.value.matches[0]["owner_name"] == org.outsider.name
    assert exc.value.matches[0]["id"] is None
    assert Lead.objects.count() == 1


def test_a_blocking_rule_refuses_an_update_to_a_duplicate_but_not_other_changes(org):
    _lead(org.outsider, phone="13800138000")
    lead = _lead(org.owner, phone="13900001111")
    _block(org, phone="block")
    with pytest.raises(DuplicatesFound):
        services.lead_update(actor=org.owner, lead_id=lead.pk, data={"phone": "13800138000"})
    lead.refresh_from_db()
    assert lead.phone == "13900001111" and lead.phone_key == "13900001111"
    services.lead_update(actor=org.owner, lead_id=lead.pk, data={"title": "CTO"})


def test_ask_refuses_on_a_warning_until_the_person_saves_anyway(org):
    _lead(org.outsider, company="上海启明软件有限公司")
    with pytest.raises(DuplicatesFound) as exc:
        services.lead_create(
            actor=org.owner, data={"name": "x", "company": "上海启明软件"}, duplicates_mode="ask"
        )
    assert not exc.value.blocked
    lead = services.lead_create(
        actor=org.owner,
        data={"name": "x", "company": "上海启明软件"},
        duplicates_mode=duplicates.form_mode(True),
    )
    assert lead.pk and lead.duplicates[0].field == "company"


def test_a_field_switched_off_is_not_compared(org):
    _lead(org.outsider, phone="13800138000")
    _block(org, phone="off")
    assert _lead(org.owner, phone="13800138000").duplicates == []


def test_only_an_administrator_sets_the_rules_and_only_known_values(org):
    with pytest.raises(PermissionDenied):
        duplicates.rules_set(actor=org.manager, changes={"lead": {"phone": "block"}})
    with pytest.raises(ValidationFailed) as exc:
        duplicates.rules_set(actor=org.admin, changes={"customer": {"phone": "block"}})
    assert "customer.phone" in exc.value.errors
    with pytest.raises(ValidationFailed):
        duplicates.rules_set(actor=org.admin, changes={"lead": {"phone": "maybe"}})
    assert duplicates.rules()["lead"] == {"phone": "warn", "email": "warn", "company": "warn"}


def test_the_check_runs_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    for i in range(12):
        _lead(org.outsider, phone="13800138000", email="a@b.cn", company=f"启明{i % 2}")
    with django_assert_max_num_queries(5):  # rules, three fields, the scope
        found = finder.duplicates_find(
            actor=org.owner,
            record_type="lead",
            data={"phone": "13800138000", "email": "a@b.cn", "company": "启明1"},
        )
    assert len([m for m in found if m.field == "phone"]) == duplicates.MATCH_LIMIT


def test_the_groups_are_scoped(org):
    for owner in (org.owner, org.owner, org.outsider, org.outsider):
        _lead(owner, phone="13800138000")
    _lead(org.peer, phone="13900001111")
    _lead(org.peer, phone="139-0000-1111")
    groups, after = finder.duplicate_groups(actor=org.admin, record_type="lead", field="phone")
    assert [(g["key"], g["count"]) for g in groups] == [("13800138000", 4), ("13900001111", 2)]
    assert after is None
    groups, _after = finder.duplicate_groups(actor=org.manager, record_type="lead", field="phone")
    # The manager sees team A: the outsider's two leads are neither counted nor listed.
    assert [(g["key"], g["count"]) for g in groups] == [("13800138000", 2), ("13900001111", 2)]
    assert {r["owner_name"] for r in groups[0]["records"]} == {org.owner.name}
    with pytest.raises(PermissionDenied):
        finder.duplicate_groups(actor=org.owner, record_type="lead", field="phone")


def test_the_groups_are_read_a_page_at_a_time_in_key_order(org):
    for phone in ("13800000001", "13800000002", "13800000003"):
        _lead(org.owner, phone=phone)
        _lead(org.owner, phone=phone)
    page, after = finder.duplicate_groups(
        actor=org.admin, record_type="lead", field="phone", limit=2
    )
    assert [g["key"] for g in page] == ["13800000001", "13800000002"] and after == "13800000002"
    page, after = finder.duplicate_groups(
        actor=org.admin, record_type="lead", field="phone", after=after, limit=2
    )
    assert [g["key"] for g in page] == ["13800000003"] and after is None
