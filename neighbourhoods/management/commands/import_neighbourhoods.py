from neighbourhoods.importing.command import ImportCommand
from neighbourhoods.importing.neighbourhoods import import_neighbourhoods


class Command(ImportCommand):
    help = (
        "Importe une liste de quartiers : CSV (une ligne par quartier et commune) "
        "ou GeoJSON (un objet par quartier, avec son contour)."
    )

    def run(self, path, report):
        import_neighbourhoods(path, report)
