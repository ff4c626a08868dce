from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from neighbourhoods.geojson import contours_cache_clear
from neighbourhoods.importing.readers import FileError
from neighbourhoods.importing.report import ImportReport
from portal import public_cache


class ImportCommand(BaseCommand):
    """Shared skeleton: map every row, report every problem, then write all or nothing.

    Subclasses implement ``run(path, report)``: it reads and maps the whole file first (problems
    go to the report, nothing is written while mapping), then, when ``report.problems`` is
    empty, writes through ``neighbourhoods.importing.sync``.
    """

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier à importer.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui changerait sans rien écrire.",
        )

    def run(self, path: Path, report: ImportReport) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def handle(self, *args, file: Path, dry_run: bool = False, **options):
        if not file.exists():
            raise CommandError(f"{file} : fichier introuvable.")
        report = ImportReport(file.name, stream=self.stderr)
        try:
            with transaction.atomic():
                self.run(file, report)
                if report.problems:
                    raise _Rejected
                if dry_run:
                    transaction.set_rollback(True)
        except FileError as exc:
            raise CommandError(
                f"{file.name}:{exc.line}: {exc.column}: {exc} Rien n'a été écrit."
            ) from exc
        except _Rejected:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file.name} : {len(report.problems)} problème(s), rien n'a été écrit."
            ) from None
        if not dry_run and any(report.counts[k] for k in ("created", "updated", "centroids")):
            contours_cache_clear()
            # Bulk writes send no signal: the cached public pages are dropped here.
            public_cache.bump()
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(report.summary(dry_run=dry_run))
        return None


class _Rejected(Exception):
    """Raised inside the transaction so that it rolls back."""
