from neighbourhoods.importing.command import ImportCommand
from neighbourhoods.importing.indicators import import_indicators


class Command(ImportCommand):
    help = "Importe un tableau d'indicateurs INSEE (une ligne par quartier, une colonne par indicateur)."

    def run(self, path, report):
        import_indicators(path, report)
