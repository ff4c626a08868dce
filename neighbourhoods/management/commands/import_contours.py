from neighbourhoods.importing.command import ImportCommand
from neighbourhoods.importing.contours import import_contours


class Command(ImportCommand):
    help = "Rattache des contours GeoJSON aux quartiers existants (par leur code)."

    def run(self, path, report):
        import_contours(path, report)
