"""Pipelines and stages: the shipped template, admin-only editing, stages in use are kept."""

import pytest

from gendan.deals.models import Pipeline, Stage
from tests.factories import DealFactory, default_pipeline

DEFAULT_STAGES = [
    ("Discovery", "open", 20, []),
    ("Proposal & quote", "open", 50, ["amount", "expected_close_date"]),
    ("Negotiation & signing", "open", 80, ["amount", "expected_close_date", "contact_id"]),
    ("Won", "won", 100, ["amount"]),
    ("Lost", "lost", 0, []),
]

NEW_STAGES = [
    {"name": "Qualify", "probability": 10},
    {"name": "Demo", "probability": 40, "required_fields": ["amount"], "responsible_role": "se"},
    {"name": "Won", "kind": "won", "probability": 100},
    {"name": "Lost", "kind": "lost"},
]


def test_default_pipeline_ships_with_the_standard_stages(org, api):
    response = api(org.owner).get("/pipelines")
    assert response.status_code == 200
    pipelines = response.json()["items"]
    default = next(p for p in pipelines if p["is_default"])
    assert pipelines[0] == default
    stages = [
        (s["name"], s["kind"], s["probability"], s["required_fields"]) for s in default["stages"]
    ]
    assert stages == DEFAULT_STAGES
    assert all(s["name_zh"] for s in default["stages"])
    assert default["stages"][0]["key_actions"]
    assert api(org.owner).get(f"/pipelines/{default['id']}").json() == default


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_only_admins_edit_pipelines(org, api, who):
    client = api(getattr(org, who))
    pipeline = default_pipeline()
    first = pipeline.stages.first()
    before = (Pipeline.objects.count(), Stage.objects.count())
    responses = [
        client.post("/pipelines", {"name": "Renewals"}),
        client.patch(f"/pipelines/{pipeline.pk}", {"name": "Mine"}),
        client.delete(f"/pipelines/{pipeline.pk}"),
        client.post(f"/pipelines/{pipeline.pk}/stages", {"name": "Extra"}),
        client.patch(f"/pipelines/{pipeline.pk}/stages/{first.pk}", {"probability": 99}),
        client.delete(f"/pipelines/{pipeline.pk}/stages/{first.pk}"),
    ]
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert (Pipeline.objects.count(), Stage.objects.count()) == before
    first.refresh_from_db()
    assert first.probability == 20


def test_admin_creates_a_pipeline_with_stages(org, api):
    response = api(org.admin).post("/pipelines", {"name": "Channel sales", "stages": NEW_STAGES})
    assert response.status_code == 201
    body = response.json()
    assert [s["name"] for s in body["stages"]] == ["Qualify", "Demo", "Won", "Lost"]
    assert [s["kind"] for s in body["stages"]] == ["open", "open", "won", "lost"]
    assert body["stages"][1]["required_fields"] == ["amount"]
    assert body["stages"][1]["responsible_role"] == "se"
    assert body["is_default"] is False
    assert default_pipeline().name != "Channel sales"


def test_pipeline_without_stages_starts_from_the_template(org, api):
    body = api(org.superuser).post("/pipelines", {"name": "Renewals"}).json()
    assert [s["name"] for s in body["stages"]] == [s[0] for s in DEFAULT_STAGES]


def test_pipeline_needs_open_won_and_lost_stages(org, api):
    before = Pipeline.objects.count()
    response = api(org.admin).post(
        "/pipelines", {"name": "Bad", "stages": [{"name": "Only", "kind": "open"}]}
    )
    assert response.status_code == 422
    assert "stages" in response.json()["errors"]
    assert Pipeline.objects.count() == before


def test_unknown_required_field_is_refused(org, api):
    pipeline = default_pipeline()
    response = api(org.admin).post(
        f"/pipelines/{pipeline.pk}/stages", {"name": "X", "required_fields": ["budget"]}
    )
    assert response.status_code == 422
    assert "required_fields" in response.json()["errors"]


def test_admin_adds_and_edits_stages(org, api):
    client = api(org.admin)
    pipeline = default_pipeline()
    created = client.post(
        f"/pipelines/{pipeline.pk}/stages",
        {"name": "Technical review", "order": 25, "probability": 65},
    )
    assert created.status_code == 201
    stage_id = created.json()["id"]
    edited = client.patch(
        f"/pipelines/{pipeline.pk}/stages/{stage_id}",
        {"probability": 70, "required_fields": ["amount", "collaborators"], "version": 1},
    )
    assert edited.status_code == 200
    assert edited.json()["probability"] == 70
    assert edited.json()["version"] == 2
    names = [s["name"] for s in client.get(f"/pipelines/{pipeline.pk}").json()["stages"]]
    assert names.index("Technical review") == 2


def test_stage_of_another_pipeline_answers_404(org, api):
    other = api(org.admin).post("/pipelines", {"name": "Other"}).json()
    stage_id = other["stages"][0]["id"]
    response = api(org.admin).patch(
        f"/pipelines/{default_pipeline().pk}/stages/{stage_id}", {"name": "x"}
    )
    assert response.status_code == 404


def test_deleting_a_stage_that_has_deals_answers_409(org, api):
    pipeline = default_pipeline()
    deal = DealFactory(owner=org.owner)
    response = api(org.admin).delete(f"/pipelines/{pipeline.pk}/stages/{deal.stage_id}")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Stage.objects.filter(pk=deal.stage_id).exists()


def test_deleting_an_unused_stage(org, api):
    pipeline = default_pipeline()
    stage = api(org.admin).post(f"/pipelines/{pipeline.pk}/stages", {"name": "Spare"}).json()
    response = api(org.admin).delete(f"/pipelines/{pipeline.pk}/stages/{stage['id']}")
    assert response.status_code == 204
    assert not Stage.objects.filter(pk=stage["id"]).exists()


def test_last_won_stage_cannot_be_deleted(org, api):
    pipeline = default_pipeline()
    won = pipeline.stages.get(kind="won")
    response = api(org.admin).delete(f"/pipelines/{pipeline.pk}/stages/{won.pk}")
    assert response.status_code == 422
    assert Stage.objects.filter(pk=won.pk).exists()


def test_stage_kind_cannot_change_while_it_has_deals(org, api):
    deal = DealFactory(owner=org.owner)
    response = api(org.admin).patch(
        f"/pipelines/{deal.pipeline_id}/stages/{deal.stage_id}", {"kind": "won"}
    )
    assert response.status_code == 409


def test_pipeline_with_deals_or_default_cannot_be_deleted(org, api):
    client = api(org.admin)
    assert client.delete(f"/pipelines/{default_pipeline().pk}").status_code == 409
    spare = client.post("/pipelines", {"name": "Spare"}).json()
    assert client.delete(f"/pipelines/{spare['id']}").status_code == 204


def test_making_a_pipeline_default_unsets_the_old_one(org, api):
    client = api(org.admin)
    new = client.post("/pipelines", {"name": "New default"}).json()
    response = client.patch(f"/pipelines/{new['id']}", {"is_default": True})
    assert response.status_code == 200
    assert list(Pipeline.objects.filter(is_default=True).values_list("pk", flat=True)) == [
        new["id"]
    ]
