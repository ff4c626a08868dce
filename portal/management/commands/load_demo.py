from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoDataError, demo_load


class Command(BaseCommand):
    help = "Charge les données de démonstration tirées des documents sources (DEBUG uniquement)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-accounts",
            action="store_true",
            help="Ne crée pas les comptes de démonstration.",
        )

    def handle(self, *args, without_accounts: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refus : les données et comptes de démonstration (mot de passe « demo ») ne se "
                "chargent que lorsque DEBUG est activé."
            )
        try:
            counts = demo_load(with_accounts=not without_accounts)
        except DemoDataError as exc:
            raise CommandError(
                f"Données de démonstration invalides, rien n'a été écrit : {exc}"
            ) from exc
        self.stdout.write(
            "Démonstration : {created} créé(s), {updated} mis à jour, {unchanged} inchangé(s).".format(
                created=counts.get("created", 0),
                updated=counts.get("updated", 0),
                unchanged=counts.get("unchanged", 0),
            )
        )
        if not without_accounts:
            names = ", ".join(username for username, *_ in DEMO_ACCOUNTS)
            self.stdout.write(
                f"Comptes de démonstration : {names} (mot de passe « {DEMO_PASSWORD} »)."
            )
