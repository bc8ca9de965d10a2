"""Fixtures for comments, attachments, notifications and the timeline."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from huey.contrib.djhuey import HUEY

from gendan.customers import services as customer_services
from gendan.deals import services as deal_services
from gendan.leads import services as lead_services
from gendan.sales.models import Contract
from tests.conftest import API

# Small but real files of each accepted kind (enough bytes for their magic numbers).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def office(folder: str) -> bytes:
    """A minimal Office 2007+ package: [Content_Types].xml and the program's folder."""
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b"<Relationships/>",
            f"{folder}/document.xml": b"<document/>",
        }
    )


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def huey_immediate():
    """Background tasks run at once, in-process (huey's immediate mode)."""
    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = False


def upload(client, subject_type, subject_id, name, content, *, mime="x/y", headers=None):
    """POST /attachments as multipart, the way a browser sends a file (`content` None: no file)."""
    data = {"subject_type": subject_type, "subject_id": subject_id}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type=mime)
    return client.client.post(API + "/attachments", data, headers=client._headers(headers))


@pytest.fixture
def scene(org):
    """A lead, a customer, a deal and a contract, all owned by `owner`."""
    owner = org.owner
    lead = lead_services.lead_create(actor=owner, data={"name": "Li Lei", "company": "Lei Co"})
    customer = customer_services.customer_create(actor=owner, data={"name": "Acme 顶峰"})
    deal = deal_services.deal_create(
        actor=owner, data={"name": "ERP rollout", "customer_id": customer.pk, "amount": "1000"}
    )
    contract = contract_for(deal)
    return {"lead": lead, "customer": customer, "deal": deal, "contract": contract}


def contract_for(deal, number: str = "C-2026-00001", **fields) -> Contract:
    return Contract.objects.create(
        number=number,
        customer=deal.customer,
        deal=deal,
        amount=Decimal("1000.00"),
        owner=deal.owner,
        **fields,
    )
