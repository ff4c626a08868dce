from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

REFERENCE_DIR = settings.BASE_DIR / "fixtures" / "reference"

# In dependency order: communes before the neighbourhoods and contracts that point to them.
STEPS = (
    ("import_communes", "communes_cog2026_epci.csv"),
    ("import_neighbourhoods", "qpv2024_communes.csv"),
    ("import_neighbourhoods", "occitanie_qpv2015_contours.geojson"),
    ("import_indicators", "occitanie_qpv2015_indicateurs.csv"),
    ("import_city_contracts", "contrats_de_ville_2024.csv"),
    ("link_neighbourhoods", None),
)


class Command(BaseCommand):
    help = (
        "Charge le référentiel national (fixtures/reference) : communes, EPCI, quartiers, contrats."
    )

    def handle(self, *args, **options):
        for command, filename in STEPS:
            arguments = [str(REFERENCE_DIR / filename)] if filename else []
            call_command(command, *arguments, stdout=self.stdout, stderr=self.stderr)
