from neighbourhoods.importing.command import ImportCommand
from neighbourhoods.importing.communes import import_communes


class Command(ImportCommand):
    help = "Importe les communes du COG avec leur département, leur région et leur EPCI."

    def run(self, path, report):
        import_communes(path, report)
