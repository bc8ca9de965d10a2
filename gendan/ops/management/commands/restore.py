"""`gendan restore ARCHIVE [--yes]`: put a backup back, and prove it by counting the rows."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.ops import restore, tables
from gendan.ops.archive import VENDOR_NAMES, ArchiveError
from gendan.ops.terminal import counts_lines, terminal_language


class Command(BaseCommand):
    help = (
        "Restore a backup made by `gendan backup`: check its checksums, refuse another kind of "
        "database, replace the database (only an empty one unless --yes) and the uploaded "
        "files, then count the rows again against the backup's manifest. Stop Gendan first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `gendan backup`")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace a database that already holds data (without it, the restore refuses)",
        )

    def handle(self, *args, archive: str, yes: bool, **options):
        with translation.override(terminal_language()):
            try:
                result = restore.restore_archive(
                    path=Path(archive).expanduser().resolve(), yes=yes, on_checked=self._checked
                )
            except restore.RestoreMismatch as exc:
                raise CommandError(str(exc), returncode=2) from exc
            except ArchiveError as exc:
                raise CommandError(str(exc)) from exc
            self._report(result)

    def _checked(self, manifest: dict) -> None:
        self.stdout.write(
            _(
                "Archive checked: taken at %(at)s by Gendan %(version)s on %(vendor)s; "
                "%(files)s, every checksum matches."
            )
            % {
                "at": manifest["created_at"],
                "version": manifest.get("gendan_version", "?"),
                "vendor": VENDOR_NAMES[manifest["vendor"]],
                "files": ngettext("%d file", "%d files", len(manifest["files"]))
                % len(manifest["files"]),
            }
        )
        if manifest["vendor"] == "sqlite":
            self.stdout.write(
                _(
                    "Replacing the SQLite database file: Gendan (web server and worker) must be "
                    "stopped until the restore is done."
                )
            )
        else:
            self.stdout.write(_("Restoring with pg_restore, in one transaction..."))

    def _report(self, result: restore.RestoreResult) -> None:
        self.stdout.write(_("Database restored: %s.") % result.database)
        if result.kept_database:
            self.stdout.write(_("The database it replaced is kept as %s.") % result.kept_database)
        self.stdout.write(_("Uploaded files restored: %s.") % result.media_files)
        counts = result.row_counts
        self.stdout.write(
            self.style.SUCCESS(
                _("Counted again: all %(tables)s tables match the backup (%(rows)s rows).")
                % {
                    "tables": len(result.manifest["row_counts"]),
                    "rows": f"{sum(counts.values()):,}",
                }
            )
        )
        for line in counts_lines(tables.key_counts(counts)):
            self.stdout.write(line)
        if result.newer_migrations:
            self.stdout.write(
                _(
                    "This Gendan has %s migrations the backup's database lacks: run `gendan "
                    "migrate` before starting it."
                )
                % len(result.newer_migrations)
            )
        self.stdout.write(_("Restore done: start Gendan again."))
