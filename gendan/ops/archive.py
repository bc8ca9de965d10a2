"""The backup archive: one .tar.gz holding the database copy, the uploaded files and a manifest.

    database/gendan.sqlite3   (SQLite)  or  database/gendan.dump  (PostgreSQL, pg_dump -Fc)
    media/...                 the uploaded files, as they are under MEDIA_ROOT
    manifest.json             written last: what the archive is, and a SHA-256 of every file

Each file's checksum is taken from the very bytes written into the archive, and a restore
extracts every file into a scratch directory and checks it against the manifest before it
touches anything.
"""

import hashlib
import json
import os
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database/gendan.sqlite3", "postgresql": "database/gendan.dump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA = "media"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be used; the message says why, for the operator."""


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes handed over."""

    def __init__(self, fh):
        self.fh = fh
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.digest.update(data)
        return data


class ArchiveWriter:
    """`with ArchiveWriter(path) as archive: archive.add(...); archive.finish(manifest)`.

    Written to `<path>.partial` (owner-only) and renamed into place by `finish`, so an archive
    under its final name is always complete.
    """

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.files: dict[str, dict] = {}

    def __enter__(self):
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.raw = os.fdopen(fd, "wb")
        self.tar = tarfile.open(fileobj=self.raw, mode="w:gz", compresslevel=6)  # noqa: SIM115
        return self

    def add(self, name: str, source: Path) -> None:
        with open(source, "rb") as fh:
            info = tarfile.TarInfo(name)
            info.size = os.fstat(fh.fileno()).st_size
            info.mtime = int(os.fstat(fh.fileno()).st_mtime)
            info.mode = 0o600
            reader = _HashingReader(fh)
            self.tar.addfile(info, reader)
        self.files[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}

    def finish(self, manifest: dict) -> None:
        data = json.dumps({**manifest, "files": self.files}, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(os.path.getmtime(self.partial))
        self.tar.addfile(info, _BytesReader(data))
        self.tar.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.partial, self.path)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.tar.close()
            self.raw.close()
            self.partial.unlink(missing_ok=True)
        return False


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveError(_("The archive holds a file outside its own folder: %s") % name)
    if path.parts[0] not in ("database", MEDIA) and name != MANIFEST:
        raise ArchiveError(_("The archive holds a file a Gendan backup does not have: %s") % name)
    return path


def _extract(tar: tarfile.TarFile, into: Path) -> dict[str, dict]:
    """Every member written under `into`; {name: {size, sha256}} of what was written."""
    found = {}
    for member in tar:
        if not member.isfile():
            message = _("The archive holds something that is not a file: %s")
            raise ArchiveError(message % member.name)
        path = into / _safe_name(member.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(member) as src, open(path, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        found[member.name] = {"size": member.size, "sha256": digest.hexdigest()}
    # tarfile stops at the first header it cannot read; reading the compressed stream to its
    # end makes gzip check its CRC, so damage past that point is noticed too.
    while tar.fileobj.read(CHUNK):
        pass
    return found


def _manifest(into: Path) -> dict:
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        message = _("The archive has no manifest: it is damaged or is not a Gendan backup.")
        raise ArchiveError(message) from None
    except ValueError:
        raise ArchiveError(_("The archive's manifest cannot be read.")) from None
    needed = {"format", "vendor", "created_at", "row_counts", "migrations", "files"}
    if not isinstance(manifest, dict) or not needed <= set(manifest):
        raise ArchiveError(_("The archive's manifest lacks what a Gendan backup has."))
    if not isinstance(manifest["format"], int) or manifest["format"] > FORMAT:
        raise ArchiveError(
            _("The archive is of format %(format)s; this Gendan reads format %(ours)s or older.")
            % {"format": manifest["format"], "ours": FORMAT}
        )
    if manifest["vendor"] not in DATABASE_FILES:
        message = _("The archive's database is of an unknown kind: %s")
        raise ArchiveError(message % manifest["vendor"])
    return manifest


def _compare(manifest: dict, found: dict[str, dict]) -> None:
    listed = manifest["files"]
    problems = [
        _("%s: missing from the archive") % name for name in sorted(set(listed) - set(found))
    ]
    problems += [
        _("%s: not listed in the manifest") % name
        for name in sorted(set(found) - set(listed) - {MANIFEST})
    ]
    problems += [
        _("%s: checksum mismatch") % name
        for name in sorted(set(listed) & set(found))
        if listed[name] != found[name]
    ]
    if DATABASE_FILES[manifest["vendor"]] not in listed:
        problems.append(_("%s: missing from the archive") % DATABASE_FILES[manifest["vendor"]])
    if problems:
        raise ArchiveError(
            _("The archive does not match its manifest; nothing was restored.\n  %s")
            % "\n  ".join(problems)
        )


def archive_open(path: Path, into: Path) -> dict:
    """Extract the archive into the scratch directory `into`, check every file against the
    manifest, and answer the manifest; ArchiveError when anything is wrong."""
    if not path.is_file():
        raise ArchiveError(_("No such archive: %s") % path)
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            found = _extract(tar, into)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ArchiveError(
            _("The archive is damaged or is not a Gendan backup (%(error)s); nothing was restored.")
            % {"error": exc}
        ) from exc
    manifest = _manifest(into)
    _compare(manifest, found)
    return manifest


def media_files(root: Path) -> list[tuple[str, Path]]:
    """(name in the archive, path) of every regular file under MEDIA_ROOT, sorted."""
    if not root.is_dir():
        return []
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_file() and not path.is_symlink():
                files.append((f"{MEDIA}/{path.relative_to(root).as_posix()}", path))
    return files
