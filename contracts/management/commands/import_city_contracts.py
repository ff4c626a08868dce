from contracts.importing import import_city_contracts
from neighbourhoods.importing.command import ImportCommand


class Command(ImportCommand):
    help = "Importe la liste des contrats de ville 2024-2030 publiée par l'ANCT."

    def run(self, path, report):
        import_city_contracts(path, report)
