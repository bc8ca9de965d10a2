"""The content check of uploads and the clean-up of their names, without the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.activities import uploads
from tests.collab.conftest import ELF, EXE, GIF, JPEG, OLE_HEADER, PDF, PNG, WEBP, office, zip_bytes


def _kind(name: str, content: bytes):
    kind = uploads.detect(SimpleUploadedFile(name, content), name)
    return (kind.content_type, kind.extension) if kind else None


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.pdf", PDF, ("application/pdf", "pdf")),
        ("logo.png", PNG, ("image/png", "png")),
        ("photo.jpeg", JPEG, ("image/jpeg", "jpg")),
        ("anim.gif", GIF, ("image/gif", "gif")),
        ("pic.webp", WEBP, ("image/webp", "webp")),
        (
            "proposal.docx",
            office("word"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ),
        (
            "prices.xlsx",
            office("xl"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ),
        (
            "deck.pptx",
            office("ppt"),
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        ),
        ("bundle.zip", zip_bytes({"a.txt": b"a"}), ("application/zip", "zip")),
        ("old.doc", OLE_HEADER, ("application/msword", "doc")),
        ("old.xls", OLE_HEADER, ("application/vnd.ms-excel", "xls")),
        ("notes.txt", "会议纪要：客户要求下周报价。\n".encode(), ("text/plain", "txt")),
        ("leads.csv", "name,phone\n张三,13800000000\n".encode(), ("text/csv", "csv")),
        # Text that happens to begin like a bitmap's magic number is still text.
        ("bmw.txt", b"BMW sales report\n", ("text/plain", "txt")),
    ],
)
def test_accepted_kinds_are_recognised_by_content(name, content, expected):
    assert _kind(name, content) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("contract.pdf", EXE),  # a program renamed .pdf
        ("report.docx", ELF),
        ("setup.msi", OLE_HEADER),  # an OLE file that is no Office document
        ("data.txt", b"abc\x00def"),  # NUL bytes: binary
        ("latin1.txt", "café crème".encode("latin-1")),  # not UTF-8
        ("broken.zip", b"PK\x03\x04 this is not really a zip archive \xff\xfe"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    assert _kind(name, content) is None


def test_the_name_says_nothing_about_the_type():
    # a PDF called .exe is a PDF; a text called .pdf is text
    assert _kind("invoice.exe", PDF) == ("application/pdf", "pdf")
    assert _kind("invoice.pdf", b"just words") == ("text/plain", "txt")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\li\\报价单.pdf", "报价单.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),  # no right-to-left override tricks
        ("line\nbreak.txt", "linebreak.txt"),
        ("...", "attachment.pdf"),
        ("", "attachment.pdf"),
        (".hidden", "hidden"),
    ],
)
def test_clean_filename_keeps_only_a_plain_base_name(raw, clean):
    assert uploads.clean_filename(raw, "pdf") == clean


def test_clean_filename_shortens_long_names_but_keeps_the_extension():
    name = uploads.clean_filename("x" * 400 + ".xlsx", "xlsx")
    assert len(name) == 255
    assert name.endswith(".xlsx")


def test_sha256_of_the_whole_file():
    import hashlib

    content = b"a" * 100_000
    assert uploads.sha256(SimpleUploadedFile("a.txt", content)) == (
        hashlib.sha256(content).hexdigest()
    )
