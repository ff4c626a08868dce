from pathlib import Path

from django.core.management.base import BaseCommand

from portal.open_data import export_open_data


class Command(BaseCommand):
    help = (
        "Écrit l'export open data (export.zip : CSV, JSON, GeoJSON et datapackage.json) de "
        "toutes les données publiées ; à lancer chaque nuit. Le fichier précédent reste en "
        "place jusqu'à ce que le nouveau soit complet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Dossier de l'export (par défaut OPEN_DATA_DIR, sinon var/open-data).",
        )

    def handle(self, *args, output=None, **options):
        path, package = export_open_data(output)
        rows = ", ".join(
            f"{resource['path']} {resource.get('rows', resource.get('count'))}"
            for resource in package["resources"]
        )
        self.stdout.write(f"{path} ({path.stat().st_size} octets, {package['created']}) : {rows}")
