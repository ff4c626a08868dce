"""Small files written for the import tests, and a way to run an import command."""

import io
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

COMMUNES_HEADER = (
    "typecom,code_insee,nom,code_commune_parent,code_departement,nom_departement,code_region,"
    "nom_region,siren_epci,nom_epci,nature_epci,population_municipale"
)
LILLE = "COM,59350,Lille,,59,Nord,32,Hauts-de-France,200093201,Métropole Européenne de Lille,METRO,238246"
ROUBAIX = "COM,59512,Roubaix,,59,Nord,32,Hauts-de-France,200093201,Métropole Européenne de Lille,METRO,98286"
CHATEAU = "COM,02168,Château-Thierry,,02,Aisne,32,Hauts-de-France,200072031,CA de la Région de Château-Thierry,CA,15097"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(command: str, path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def communes_file(tmp_path: Path, *rows: str, name: str = "communes.csv") -> Path:
    return write(tmp_path, name, "\n".join([COMMUNES_HEADER, *rows]) + "\n")


@contextmanager
def count_writes():
    """Yields a list that, after the block, holds the INSERT/UPDATE/DELETE statements it ran."""
    writes: list[str] = []
    with CaptureQueriesContext(connection) as context:
        yield writes
    writes += [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
