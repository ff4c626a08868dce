"""The public pages' main menu and what every public template needs (a context processor)."""

from django.conf import settings
from django.urls import reverse

# (URL name, label) in menu order. A page joins the menu by being listed here.
PUBLIC_NAV = [
    ("home", "Accueil"),
    ("neighbourhood-list", "Quartiers"),
    ("contract-list", "Contrats de ville"),
    ("directory", "Annuaire"),
    ("coverage-gaps", "Couverture"),
    ("partnerships", "Partenariats"),
    ("point-lookup", "Ce lieu est-il en quartier prioritaire ?"),
    ("open-data", "Données ouvertes"),
    ("api-guide", "API"),
]


def public(request):
    return {
        "public_nav": [{"url": reverse(name), "label": label} for name, label in PUBLIC_NAV],
        "map_tiles_url": settings.MAP_TILES_URL or "",
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION or "",
    }
