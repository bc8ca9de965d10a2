"""The source organisation of the backup tests, run in its own process against the database the
environment names (GENDAN_DATA_DIR, DATABASE_URL), as `gendan` itself would be:

    python -m tests.ops.backup_source attach          uploads three files onto a lead, prints
                                                      {stored name: sha256} as JSON
    python -m tests.ops.backup_source write STOP PROGRESS
                                                      creates leads through the service until the
                                                      file STOP exists, writing how many so far
                                                      into the file PROGRESS
"""

import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from gendan.followups import services as followups  # noqa: E402
from gendan.leads import services as leads  # noqa: E402
from gendan.leads.models import Lead  # noqa: E402
from gendan.org.models import User  # noqa: E402

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) + b"\n%%EOF\n"
TEXT = "跟单 拜访记录 notes\n".encode() * 200
FILES = {"scan.png": PNG, "合同.pdf": PDF, "notes.txt": TEXT}


def attach() -> dict:
    admin = User.objects.get(username="admin")
    lead = Lead.objects.order_by("pk").first()
    stored = {}
    for name, content in FILES.items():
        upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        attachment = followups.attachment_create(
            actor=admin, subject_type="lead", subject_id=lead.pk, file=upload
        )
        stored[attachment.file.name] = hashlib.sha256(content).hexdigest()
    return stored


def write(stop: Path, progress: Path) -> None:
    admin = User.objects.get(username="admin")
    written = 0
    while not stop.exists():
        leads.lead_create(
            actor=admin,
            data={"name": f"Load {written}", "company": "Load Co", "phone": f"139{written:08d}"},
        )
        written += 1
        partial = progress.with_suffix(".partial")
        partial.write_text(str(written))
        partial.replace(progress)
        time.sleep(0.005)


if __name__ == "__main__":
    if sys.argv[1] == "attach":
        print(json.dumps(attach()))
    else:
        write(Path(sys.argv[2]), Path(sys.argv[3]))
