"""Attachments: checked by content, stored under generated names, downloaded as attachments."""

import hashlib
import re

import pytest

from gendan.activities.models import Attachment, TimelineEvent
from tests.collab.conftest import EXE, PDF, PNG, office, upload


def _stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _download(client, attachment):
    return client.get(attachment["download_url"].removeprefix("/api/v1"))


def test_upload_stores_the_file_under_a_generated_name(org, api, scene, media):
    # given a PDF with a path and a Chinese name
    deal = scene["deal"]
    # when the owner attaches it to the deal
    response = upload(api(org.owner), "deal", deal.pk, "../合同 扫描件.pdf", PDF)
    # then the record describes it with what its content is, not what the browser said
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert attachment["filename"] == "合同 扫描件.pdf"
    assert attachment["content_type"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["uploaded_by_id"] == org.owner.pk
    assert (attachment["subject_type"], attachment["subject_id"]) == ("deal", deal.pk)
    assert attachment["download_url"] == f"/api/v1/attachments/{attachment['id']}/download"
    assert {"id", "version", "created_at", "updated_at"} <= attachment.keys()
    # and the file sits under attachments/YYYY/MM/ with a random name, none of the user's
    stored = Attachment.objects.get().file.name
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored), stored
    (path,) = _stored_files(media)
    assert path.read_bytes() == PDF


def test_upload_writes_a_timeline_event(org, api, scene, media):
    contract = scene["contract"]
    attachment = upload(api(org.owner), "contract", contract.pk, "scan.png", PNG).json()
    event = TimelineEvent.objects.get(kind="attachment_added")
    assert event.contract_id == contract.pk
    assert event.data == {
        "attachment_id": attachment["id"],
        "filename": "scan.png",
        "content_type": "image/png",
        "size": len(PNG),
    }


def test_office_document_keeps_its_type(org, api, scene, media):
    response = upload(api(org.owner), "customer", scene["customer"].pk, "方案.docx", office("word"))
    assert response.status_code == 201
    assert response.json()["content_type"].endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content"),
    [("contract.pdf", EXE), ("tool.exe", EXE), ("notes.txt", b"\x00\x01\x02binary")],
)
def test_other_types_are_refused_and_nothing_is_stored(org, api, scene, media, name, content):
    # when a program renamed .pdf (or any other content we do not take) is uploaded
    response = upload(
        api(org.owner), "deal", scene["deal"].pk, name, content, mime="application/pdf"
    )
    # then 422 on the file, and no record, file or event is left behind
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert Attachment.objects.count() == 0
    assert _stored_files(media) == []
    assert not TimelineEvent.objects.filter(kind="attachment_added").exists()


def test_missing_or_empty_file_answers_422(org, api, scene, media):
    client = api(org.owner)
    missing = upload(client, "deal", scene["deal"].pk, "x.pdf", None)
    empty = upload(client, "deal", scene["deal"].pk, "x.pdf", b"")
    assert missing.status_code == empty.status_code == 422
    assert "file" in missing.json()["errors"]
    assert "file" in empty.json()["errors"]
    assert Attachment.objects.count() == 0


def test_bad_subject_answers_422_per_field(org, api, media):
    response = upload(api(org.owner), "invoice", "x", "x.pdf", PDF)
    assert response.status_code == 422
    assert {"subject_type", "subject_id"} <= set(response.json()["errors"])


def test_over_the_size_limit_answers_413(org, api, scene, media, settings):
    # given a limit of 1 MB
    settings.GENDAN_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    # when a larger file is uploaded
    response = upload(
        api(org.owner), "deal", scene["deal"].pk, "big.pdf", big, headers={"Accept-Language": "en"}
    )
    # then 413 with a message naming the limit, and nothing is stored
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The file is larger than 1 MB, the most this server accepts."
    )
    assert Attachment.objects.count() == 0
    assert _stored_files(media) == []


def test_at_the_size_limit_is_accepted(org, api, scene, media, settings):
    settings.GENDAN_MAX_UPLOAD_MB = 1
    exact = PDF + b"0" * (1024 * 1024 - len(PDF))
    response = upload(api(org.owner), "deal", scene["deal"].pk, "ok.pdf", exact)
    assert response.status_code == 201
    assert response.json()["size"] == 1024 * 1024


def test_uploading_to_a_record_out_of_scope_answers_422(org, api, scene, media):
    response = upload(api(org.peer), "deal", scene["deal"].pk, "x.pdf", PDF)
    assert response.status_code == 422
    assert "subject_id" in response.json()["errors"]
    assert _stored_files(media) == []


def test_download_is_an_attachment_with_the_original_name(org, api, scene, media):
    # given a file with a Chinese name
    client = api(org.owner)
    attachment = upload(client, "deal", scene["deal"].pk, "报价单.pdf", PDF).json()
    # when it is downloaded
    response = _download(client, attachment)
    # then it comes as a download (RFC 5987 name), never rendered by the browser
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_text_downloads_as_utf8(org, api, scene, media):
    client = api(org.owner)
    attachment = upload(
        client, "deal", scene["deal"].pk, "名单.csv", "名字\n张三\n".encode()
    ).json()
    response = _download(client, attachment)
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_file_gone_from_disk_answers_404(org, api, scene, media):
    client = api(org.owner)
    attachment = upload(client, "deal", scene["deal"].pk, "x.pdf", PDF).json()
    for path in _stored_files(media):
        path.unlink()
    assert _download(client, attachment).status_code == 404


def test_list_newest_first(org, api, scene, media):
    client = api(org.owner)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        upload(client, "deal", scene["deal"].pk, name, PDF)
    upload(client, "lead", scene["lead"].pk, "other.pdf", PDF)
    listed = client.get("/attachments", {"subject_type": "deal", "subject_id": scene["deal"].pk})
    assert listed.status_code == 200
    assert [a["filename"] for a in listed.json()["items"]] == ["c.pdf", "b.pdf", "a.pdf"]
    assert listed.json()["count"] == 3


def test_uploader_deletes_and_the_file_goes_after_commit(
    org, api, scene, media, django_capture_on_commit_callbacks
):
    # given an uploaded file
    client = api(org.owner)
    attachment = upload(client, "deal", scene["deal"].pk, "x.pdf", PDF).json()
    assert len(_stored_files(media)) == 1
    # when its uploader deletes it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/attachments/{attachment['id']}")
    # then the record, its timeline entry and the file are gone
    assert response.status_code == 204
    assert client.get(f"/attachments/{attachment['id']}").status_code == 404
    assert not TimelineEvent.objects.filter(kind="attachment_added").exists()
    assert _stored_files(media) == []


def test_only_the_uploader_or_an_admin_deletes(org, api, scene, media):
    attachment = upload(api(org.owner), "deal", scene["deal"].pk, "x.pdf", PDF).json()
    path = f"/attachments/{attachment['id']}"
    assert api(org.manager).delete(path).status_code == 403
    assert Attachment.objects.count() == 1
    assert api(org.admin).delete(path).status_code == 204
    assert Attachment.objects.count() == 0
