"""What an uploaded file really is, judged by its bytes, never by its name or the browser's word.

Accepted: PDF; PNG, JPEG, GIF and WebP images; Word, Excel and PowerPoint documents (Office
2007+ zip packages, and the legacy OLE formats .doc/.xls/.ppt); ZIP archives; plain text and
CSV in UTF-8. Everything else (programs, scripts in other encodings, disk images...) is refused.
"""

import codecs
import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

HEAD_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MAX_FILENAME = 255

# Types recognised by their magic number (the `filetype` library).
MAGIC_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
# Office 2007+ documents: a zip package with [Content_Types].xml and one of these folders.
OOXML_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
# Office 97-2003 documents: OLE compound files.
OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _extension(filename: str) -> str:
    _stem, dot, ext = (filename or "").rpartition(".")
    return ext.lower() if dot else ""


def _zip_kind(file) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" in names:
        for folder, (content_type, extension) in OOXML_TYPES.items():
            if any(name.startswith(folder) for name in names):
                return FileKind(content_type, extension)
    return FileKind("application/zip", "zip")


def _ole_kind(head: bytes, filename: str) -> FileKind | None:
    guess = filetype.guess(head)
    for extension, content_type in OLE_TYPES.items():
        if guess is not None and guess.mime == content_type:
            return FileKind(content_type, extension)
    # The OLE container is certain; which Office program wrote it is not always in the header.
    extension = _extension(filename)
    if extension in OLE_TYPES:
        return FileKind(OLE_TYPES[extension], extension)
    return None  # other OLE files (installers, for one) are not documents


def _is_utf8_text(file) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in file.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def detect(file, filename: str = "") -> FileKind | None:
    """The accepted kind of this file, or None when it is not one we take."""
    head = _head(file)
    if head.startswith(ZIP_MAGICS):
        kind = _zip_kind(file)
        if kind is not None:
            return kind
    if head.startswith(OLE_MAGIC):
        return _ole_kind(head, filename)
    guess = filetype.guess(head)
    if guess is not None and guess.mime in MAGIC_TYPES:
        return FileKind(guess.mime, MAGIC_TYPES[guess.mime])
    # Last: text. A few text files begin with bytes that look like another format's magic
    # number, so a failed guess is not yet a refusal.
    if _is_utf8_text(file):
        if _extension(filename) == "csv":
            return FileKind("text/csv", "csv")
        return FileKind("text/plain", "txt")
    return None


def sha256(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def clean_filename(name: str, extension: str) -> str:
    """The name to show and to download under: no folders, no control or direction characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if not name:
        return f"attachment.{extension}"
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 16:
            name = stem[: MAX_FILENAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_FILENAME]
    return name
