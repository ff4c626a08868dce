"""The open-data download page (/donnees/), the dump itself and its Table Schema."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.open_data import SCHEMA_NAME, SCHEMA_PATH, dump_info, scheme_schema


@require_safe
def open_data_page(request):
    info = dump_info()
    return render(
        request,
        "public/open_data.html",
        {
            "title": "Données ouvertes",
            "info": info,
            "schema": scheme_schema(),
            "breadcrumb_data": {
                "links": [{"url": "/", "title": "Accueil"}],
                "current": "Données ouvertes",
            },
        },
    )


@require_safe
def open_data_zip(request):
    info = dump_info()
    if info is None:
        raise Http404("L'export des données n'a pas encore été généré.")
    response = FileResponse(
        info.path.open("rb"),
        as_attachment=True,
        filename=f"volets-sante-{info.created[:10]}.zip",
        content_type="application/zip",
    )
    response["Last-Modified"] = _http_date(info.path.stat().st_mtime)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def open_data_schema(request):
    return FileResponse(
        SCHEMA_PATH.open("rb"), filename=SCHEMA_NAME, content_type="application/json"
    )


def _http_date(timestamp: float) -> str:
    from django.utils.http import http_date

    return http_date(timestamp)
