import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.reminders import reminders_refresh


class Command(BaseCommand):
    help = (
        "Calcule les rappels des coordinations (postes d'adulte-relais, CLS échus, volets en "
        "attente d'avis, fiches anciennes) et les enregistre. À lancer chaque jour ; "
        "le relancer ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Date du calcul (AAAA-MM-JJ), aujourd'hui par défaut.",
        )

    def handle(self, *args, date: str | None = None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Date invalide : {date!r} (AAAA-MM-JJ attendu).") from exc
        report = reminders_refresh(today=today)
        self.stdout.write(report.summary())
