from django.core.management.base import BaseCommand

from neighbourhoods.services import neighbourhood_links_refresh


class Command(BaseCommand):
    help = "Relie les quartiers de la géographie 2015 à ceux de 2024 (contours ou commune et nom)."

    def handle(self, *args, **options):
        counts = neighbourhood_links_refresh()
        self.stdout.write(
            "Correspondances 2015 → 2024 : {created} créée(s), {updated} mise(s) à jour, "
            "{deleted} supprimée(s).".format(**counts)
        )
