"""`gendan backup [--output PATH]`: the database, the uploaded files and a manifest, one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.ops import backup, tables
from gendan.ops.archive import VENDOR_NAMES, ArchiveError
from gendan.ops.terminal import counts_lines, size_text, terminal_language


class Command(BaseCommand):
    help = (
        "Back up Gendan while it runs: a consistent copy of the database (SQLite's online "
        "backup, or pg_dump of one snapshot), the uploaded files and a manifest with row counts "
        "and checksums, in one .tar.gz archive (default: backups/ in the data directory)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="the archive's path, or a folder to write it in (default: "
            "$GENDAN_DATA_DIR/backups)",
        )

    def handle(self, *args, output: str | None = None, **options):
        with translation.override(terminal_language()):
            try:
                result = backup.backup_create(output=output)
            except ArchiveError as exc:
                raise CommandError(str(exc)) from exc
            self._report(result)

    def _report(self, result: backup.BackupResult) -> None:
        manifest = result.manifest
        counts = manifest["row_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size)s)")
                % {"path": result.path, "size": size_text(result.size)}
            )
        )
        self.stdout.write(
            _("%(vendor)s database: %(tables)s tables, %(rows)s rows; %(files)s; taken at %(at)s.")
            % {
                "vendor": VENDOR_NAMES[manifest["vendor"]],
                "tables": len(counts),
                "rows": f"{sum(counts.values()):,}",
                "files": ngettext("%d uploaded file", "%d uploaded files", result.media_files)
                % result.media_files,
                "at": manifest["created_at"],
            }
        )
        for line in counts_lines(tables.key_counts(counts)):
            self.stdout.write(line)
