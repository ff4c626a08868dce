from django.core.management.base import BaseCommand, CommandError

from neighbourhoods.selectors import locate


class Command(BaseCommand):
    help = "Affiche le code des quartiers dont le contour contient le point (WGS84), un par ligne."

    def add_arguments(self, parser):
        parser.add_argument("lon", help="Longitude (WGS84), ex. 1.4442")
        parser.add_argument("lat", help="Latitude (WGS84), ex. 43.6045")

    def handle(self, *args, lon: str, lat: str, **options):
        try:
            longitude, latitude = float(lon.replace(",", ".")), float(lat.replace(",", "."))
        except ValueError as exc:
            raise CommandError(
                f"Coordonnées illisibles : {lon!r} {lat!r} (nombres attendus)."
            ) from exc
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise CommandError(f"Hors des longitudes/latitudes WGS84 : {longitude} {latitude}.")
        for code in locate(longitude, latitude):
            self.stdout.write(code)
