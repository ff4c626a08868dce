"""The one CSV helper of the public exports: BOM, `;`, dated file name, formula guard."""

import pytest
from django.utils import timezone

from portal.csv_export import csv_response, safe_cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize(
    "value, cell", [("Lille", "Lille"), (None, ""), (42, "42"), ("a=b", "a=b")]
)
def test_other_cells_are_left_alone(value, cell):
    assert safe_cell(value) == cell


def test_the_response_streams_one_bom_then_semicolon_lines():
    rows = iter([["=cmd", "Lille; Roubaix"], ["x", None]])

    response = csv_response(filename="essai", header=["Nom", "Communes"], rows=rows)
    content = b"".join(response.streaming_content)

    assert response.streaming
    assert content.count(b"\xef\xbb\xbf") == 1 and content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").split("\r\n") == [
        "Nom;Communes",
        '\'=cmd;"Lille; Roubaix"',
        "x;",
        "",
    ]
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="essai-{day}.csv"'
