from django.core.management.base import BaseCommand

from portal.api_tokens import USAGE_RETENTION_DAYS, token_uses_prune


class Command(BaseCommand):
    help = (
        f"Supprime le journal d'utilisation des jetons d'API de plus de {USAGE_RETENTION_DAYS} "
        "jours. À lancer chaque jour ; le relancer ne change rien."
    )

    def handle(self, *args, **options):
        deleted = token_uses_prune()
        self.stdout.write(f"{deleted} utilisation(s) de jetons d'API supprimée(s).")
