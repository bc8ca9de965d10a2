"""Layouts through the services: sections, hidden fields, per pipeline, required by layout."""

import pytest
from django.utils import translation

from gendan.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from gendan.deals import services as deal_services
from gendan.fields import layout_services, layouts
from gendan.fields import services as field_services
from gendan.fields.models import Layout
from gendan.fields.values import on_create, on_update
from tests.factories import CustomerFactory, DealFactory, default_pipeline

BASICS = {"label_zh": "基本信息", "label_en": "Basics", "fields": ["name", "owner_id"]}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _save(org, record_type="deal", **kwargs):
    kwargs.setdefault("sections", [])
    kwargs.setdefault("hidden", [])
    return layout_services.layout_save(actor=org.admin, record_type=record_type, **kwargs)


def test_sections_keep_their_order_and_unplaced_fields_fall_into_a_last_section(org, segment):
    business = {"label_zh": "商务信息", "label_en": "Business", "fields": ["custom.segment"]}
    _save(org, sections=[business, BASICS])
    layout = layouts.layout_for("deal")
    names = ["name", "amount", "owner_id", "notes", "custom.segment"]
    arranged = layout.arrange(names)
    assert [(s.label, s.fields) for s in arranged] == [
        ("Business", ("custom.segment",)),
        ("Basics", ("name", "owner_id")),
        ("Other details", ("amount", "notes")),
    ]


def test_without_sections_every_field_is_in_one_section_without_heading(org):
    arranged = layouts.layout_for("lead").arrange(["name", "phone"])
    assert [(s.label, s.fields) for s in arranged] == [("", ("name", "phone"))]


def test_a_new_custom_field_never_disappears(org, segment):
    _save(org, sections=[BASICS])
    arranged = layouts.layout_for("deal").arrange(["name", "owner_id", "custom.segment"])
    assert arranged[-1].fields == ("custom.segment",)


@pytest.mark.parametrize(
    "sections, hidden, where, message",
    [
        ([{"label_en": "x", "fields": ["nope"]}], [], "sections.0.fields.0", "Unknown field"),
        ([{"label_en": "x", "fields": ["custom.nope"]}], [], "sections.0.fields.0", "Unknown"),
        (
            [{"label_en": "a", "fields": ["notes"]}, {"label_en": "b", "fields": ["notes"]}],
            [],
            "sections.1.fields.0",
            "in two places",
        ),
        ([{"label_en": "", "fields": []}], [], "sections.0.label_zh", "Give a label"),
        ([], ["name"], "hidden.0", "cannot be hidden"),
        ([], ["owner_id"], "hidden.0", "cannot be hidden"),
        ([], ["notes", "notes"], "hidden.1", "listed twice"),
        ([], ["stage"], "hidden.0", "Unknown field"),
    ],
)
def test_a_bad_layout_is_refused_per_field(org, sections, hidden, where, message):
    with pytest.raises(ValidationFailed) as caught:
        _save(org, sections=sections, hidden=hidden)
    assert message in str(caught.value.errors[where])
    assert not Layout.objects.exists()


@pytest.mark.parametrize(
    "record_type, needed",
    [
        ("lead", ["name", "phone", "owner_id"]),
        ("customer", ["name", "status", "owner_id"]),
        ("contact", ["name"]),
        ("deal", ["customer_id", "pipeline_id", "name", "amount", "owner_id"]),
        ("contract", ["amount", "currency", "owner_id"]),
        ("activity", ["channel", "outcome", "summary"]),
        ("task", ["title", "assignee_id"]),
    ],
)
def test_the_fields_the_system_needs_are_never_hideable(org, record_type, needed):
    assert set(needed) == set(layouts.built_in_names(record_type)) - set(
        layouts.hideable(record_type)
    )
    for name in needed:
        with pytest.raises(ValidationFailed):
            _save(org, record_type=record_type, hidden=[name])


def test_only_an_administrator_lays_out_and_a_stale_version_is_refused(org):
    with pytest.raises(PermissionDenied):
        layout_services.layout_save(
            actor=org.manager, record_type="lead", sections=[], hidden=["wechat"]
        )
    saved = _save(org, record_type="lead", hidden=["wechat"])
    _save(org, record_type="lead", hidden=["tags"], version=saved.version)
    with pytest.raises(StaleVersion):
        _save(org, record_type="lead", hidden=[], version=saved.version)
    assert layouts.layout_for("lead").hidden == {"tags"}


def test_a_pipeline_has_its_own_deal_layout_else_the_deals_one(org, second_pipeline, segment):
    _save(org, hidden=["notes"])
    _save(org, pipeline_id=second_pipeline.pk, hidden=["custom.segment"])
    own = layouts.layout_for("deal", second_pipeline.pk)
    assert own.hidden == {"custom.segment"} and not own.inherited
    fallback = layouts.layout_for("deal", default_pipeline().pk)
    assert fallback.hidden == {"notes"} and fallback.inherited
    with pytest.raises(ValidationFailed) as caught:
        _save(org, record_type="lead", pipeline_id=second_pipeline.pk)
    assert "pipeline_id" in caught.value.errors
    with pytest.raises(ValidationFailed):
        _save(org, pipeline_id=999_999)
    layout_services.layout_reset(
        actor=org.admin, record_type="deal", pipeline_id=second_pipeline.pk
    )
    assert layouts.layout_for("deal", second_pipeline.pk).hidden == {"notes"}


def test_a_required_field_is_asked_only_where_the_layout_shows_it(org, segment, second_pipeline):
    """Required by layout: a required custom field that a pipeline's form hides is not asked
    for on a deal of that pipeline (forms and API alike); it still is everywhere else."""
    field_services.field_update(actor=org.admin, field_id=segment.pk, data={"required": True})
    _save(org, pipeline_id=second_pipeline.pk, hidden=["custom.segment"])
    data = {"name": "x", "custom": {}, "pipeline_id": second_pipeline.pk}
    on_create("deal", data, actor=org.owner)
    assert data["custom"] == {}
    for pipeline_id in (default_pipeline().pk, None):  # named, or the default one
        data = {"name": "x", "custom": {}, "pipeline_id": pipeline_id}
        with pytest.raises(ValidationFailed) as caught:
            on_create("deal", data, actor=org.owner)
        assert "custom.segment" in caught.value.errors
    customer = CustomerFactory(owner=org.owner)
    deal = deal_services.deal_create(
        actor=org.owner,
        data={"name": "In projects", "customer_id": customer.pk, "pipeline_id": second_pipeline.pk}
        | {"custom": {}},
    )
    assert deal.custom == {}
    # Emptying it on a deal whose layout hides it is allowed; where it shows, it is not.
    shown = DealFactory(owner=org.owner, custom={"segment": "retail"})
    with pytest.raises(ValidationFailed):
        on_update("deal", shown, {"custom": {"segment": None}}, actor=org.owner)
