"""Comments and attachments are visible exactly when their record is (DESIGN.md §5).

The records belong to `owner` (ae, team A). A same-team peer (own scope) and a rep of team B
see none of them; team A's manager and the admins see all of them; anonymous callers get 401.
"""

import pytest

from tests.collab.conftest import PDF, upload

VISIBLE = {
    "owner": True,
    "peer": False,
    "manager": True,
    "outsider": False,
    "admin": True,
    "superuser": True,
}
VIEWERS = list(VISIBLE)
SUBJECTS = ["lead", "customer", "deal", "contract"]


@pytest.fixture
def files(org, api, scene, media):
    """A comment and an attachment by the owner on each of their records."""
    client = api(org.owner)
    made = {}
    for subject in SUBJECTS:
        ref = {"subject_type": subject, "subject_id": scene[subject].pk}
        comment = client.post("/comments", {**ref, "body": f"Zebra on the {subject}"})
        attachment = upload(client, subject, scene[subject].pk, f"{subject}.pdf", PDF)
        assert comment.status_code == attachment.status_code == 201
        made[subject] = {"comments": comment.json(), "attachments": attachment.json(), "ref": ref}
    return made


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("resource", ["comments", "attachments"])
@pytest.mark.parametrize("subject", SUBJECTS)
def test_detail_and_list_follow_the_records_scope(org, api, files, viewer, resource, subject):
    # given the owner's comment or attachment on a record, and a caller
    client = api(getattr(org, viewer))
    record = files[subject][resource]
    # when the caller opens it and lists the record's
    detail = client.get(f"/{resource}/{record['id']}")
    listed = client.get(f"/{resource}", files[subject]["ref"])
    # then those who see the record see it; to the others it does not exist
    if VISIBLE[viewer]:
        assert detail.status_code == 200
        assert detail.json()["id"] == record["id"]
        assert [item["id"] for item in listed.json()["items"]] == [record["id"]]
    else:
        assert detail.status_code == 404
        assert listed.status_code == 404


@pytest.mark.parametrize("viewer", VIEWERS)
def test_download_follows_the_records_scope(org, api, files, viewer):
    attachment = files["deal"]["attachments"]
    response = api(getattr(org, viewer)).get(f"/attachments/{attachment['id']}/download")
    if VISIBLE[viewer]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": response.json()["detail"]}


@pytest.mark.parametrize("viewer", ["peer", "outsider"])
@pytest.mark.parametrize("resource", ["comments", "attachments"])
def test_hidden_records_cannot_be_changed_either(org, api, files, viewer, resource):
    # a caller who cannot see the record gets 404 (not 403) on changes, and nothing changes
    client = api(getattr(org, viewer))
    record = files["deal"][resource]
    assert client.delete(f"/{resource}/{record['id']}").status_code == 404
    if resource == "comments":
        assert client.patch(f"/comments/{record['id']}", {"body": "x"}).status_code == 404
    assert api(org.owner).get(f"/{resource}/{record['id']}").status_code == 200


def test_the_pm_of_a_contract_sees_its_files(org, api, scene, media):
    # given a contract whose delivery PM is the peer, with a file on it
    contract = scene["contract"]
    contract.pm = org.peer
    contract.save()
    attachment = upload(api(org.owner), "contract", contract.pk, "sow.pdf", PDF).json()
    # then the PM can download it, but not the files of the deal they cannot see
    client = api(org.peer)
    assert client.get(f"/attachments/{attachment['id']}/download").status_code == 200
    deal_files = client.get(
        "/attachments", {"subject_type": "deal", "subject_id": scene["deal"].pk}
    )
    assert deal_files.status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/comments?subject_type=deal&subject_id=1"),
        ("post", "/comments"),
        ("get", "/comments/1"),
        ("patch", "/comments/1"),
        ("delete", "/comments/1"),
        ("get", "/attachments?subject_type=deal&subject_id=1"),
        ("post", "/attachments"),
        ("get", "/attachments/1"),
        ("get", "/attachments/1/download"),
        ("delete", "/attachments/1"),
    ],
)
def test_anonymous_callers_get_401(org, api, files, method, path):
    response = getattr(api(), method)(path)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_unknown_subject_type_answers_422(org, api):
    response = api(org.owner).get("/comments", {"subject_type": "invoice", "subject_id": 1})
    assert response.status_code == 422
    assert "subject_type" in response.json()["errors"]


def test_missing_record_answers_404(org, api, files):
    client = api(org.owner)
    assert client.get("/comments", {"subject_type": "deal", "subject_id": 999999}).status_code == (
        404
    )
    assert client.get("/attachments/999999").status_code == 404
    assert client.get("/attachments/999999/download").status_code == 404
    assert client.get("/comments/999999").status_code == 404
