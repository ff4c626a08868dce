"""« Ce lieu est-il dans un quartier prioritaire ? »: a point (typed, or clicked on the map)
answered by the spatial index (``locate_points``, one query), in both geographies.

An address field appears only when ``settings.GEOCODER_URL`` is set (a BAN-compatible
``/search/?q=`` endpoint, such as https://api-adresse.data.gouv.fr/search/): the portal calls no
third party otherwise, and tests never call it.
"""

import json
import urllib.parse
import urllib.request

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from neighbourhoods.models import Neighbourhood
from neighbourhoods.selectors import locate_points
from portal.public_cache import public_page

GEOCODER_TIMEOUT_S = 3
MAX_ADDRESS_CHARS = 200


class GeocoderError(Exception):
    """The geocoder did not answer, or found nothing."""


def geocode(address: str) -> tuple[float, float]:
    """(longitude, latitude) of an address from the configured geocoder."""
    url = f"{settings.GEOCODER_URL}?{urllib.parse.urlencode({'q': address, 'limit': 1})}"
    try:
        with urllib.request.urlopen(url, timeout=GEOCODER_TIMEOUT_S) as response:  # noqa: S310
            document = json.loads(response.read(1_000_000))
        longitude, latitude = document["features"][0]["geometry"]["coordinates"][:2]
        return float(longitude), float(latitude)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise GeocoderError(str(exc)) from exc


class PointForm(forms.Form):
    longitude = forms.FloatField(
        label="Longitude",
        help_text="En degrés décimaux (WGS84), de −180 à 180, par exemple 3.0573",
        min_value=-180,
        max_value=180,
        required=False,
        error_messages={
            "invalid": "Saisissez une longitude en degrés décimaux, par exemple 3.0573.",
            "min_value": "La longitude est comprise entre −180 et 180.",
            "max_value": "La longitude est comprise entre −180 et 180.",
        },
    )
    latitude = forms.FloatField(
        label="Latitude",
        help_text="En degrés décimaux (WGS84), de −90 à 90, par exemple 50.6292",
        min_value=-90,
        max_value=90,
        required=False,
        error_messages={
            "invalid": "Saisissez une latitude en degrés décimaux, par exemple 50.6292.",
            "min_value": "La latitude est comprise entre −90 et 90.",
            "max_value": "La latitude est comprise entre −90 et 90.",
        },
    )

    def __init__(self, data=None, *, with_address: bool = False):
        if data is not None:
            # A decimal comma is read as a point: « 3,0573 ».
            data = data.copy()
            for name in ("longitude", "latitude"):
                data[name] = (data.get(name) or "").strip().replace(",", ".")[:40]
        super().__init__(data)
        if with_address:
            self.fields["adresse"] = forms.CharField(
                label="Adresse",
                help_text="Par exemple : 1 place Augustin Laurent, Lille",
                required=False,
                max_length=MAX_ADDRESS_CHARS,
                error_messages={"max_length": f"Au plus {MAX_ADDRESS_CHARS} caractères."},
            )

    def clean(self):
        cleaned = super().clean()
        longitude, latitude = cleaned.get("longitude"), cleaned.get("latitude")
        address = (cleaned.get("adresse") or "").strip()
        if self.errors:
            return cleaned
        if longitude is None and latitude is None and not address:
            raise forms.ValidationError(
                "Saisissez une longitude et une latitude"
                + (", ou une adresse." if "adresse" in self.fields else ".")
            )
        if (longitude is None) != (latitude is None):
            raise forms.ValidationError("Saisissez la longitude et la latitude, toutes les deux.")
        if longitude is None and address:
            try:
                cleaned["longitude"], cleaned["latitude"] = geocode(address)
            except GeocoderError as exc:
                raise forms.ValidationError(
                    "Adresse introuvable ou service d'adresses indisponible : saisissez des "
                    "coordonnées ou cliquez sur la carte."
                ) from exc
        return cleaned


@public_page
@require_GET
def point_lookup(request):
    with_address = bool(getattr(settings, "GEOCODER_URL", None))
    asked = any(request.GET.get(k) for k in ("longitude", "latitude", "adresse"))
    form = PointForm(request.GET if asked else None, with_address=with_address)
    answer = None
    point = None
    if asked and form.is_valid():
        longitude, latitude = form.cleaned_data["longitude"], form.cleaned_data["latitude"]
        point = (longitude, latitude)
        codes = locate_points([point])[0]
        found = list(
            Neighbourhood.objects.filter(code__in=codes)
            .defer("contour", "contour_simplified")
            .select_related("epci")
            .order_by("-vintage", "code")
        )
        answer = {
            "found": found,
            "in_2024": [n for n in found if n.vintage == 2024],
            "in_2015": [n for n in found if n.vintage == 2015],
        }
    return render(
        request,
        "public/lookup.html",
        {
            "form": form,
            "answer": answer,
            "point": point,
            "focus": ",".join(n.code for n in answer["in_2024"]) if answer else "",
            "map_point": f"{point[0]},{point[1]}" if point else "",
            "title": "Ce lieu est-il dans un quartier prioritaire ?",
            "breadcrumb_data": {
                "links": [],
                "current": "Ce lieu est-il dans un quartier prioritaire ?",
            },
        },
    )
