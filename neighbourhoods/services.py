import re
import unicodedata

from django.db import transaction

from neighbourhoods.enums import Geography, LinkBasis
from neighbourhoods.models import Neighbourhood, NeighbourhoodLink


def normalised_name(name: str) -> str:
    """« Cœur de Ville » and « COEUR DE VILLE » compare equal; punctuation is ignored."""
    text = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


@transaction.atomic
def neighbourhood_links_refresh() -> dict[str, int]:
    """Records which 2024 neighbourhood took over which 2015 one; idempotent.

    Two bases: contours that overlap (more than touching), or a shared commune with the same
    normalised name. A link found by contour wins over the same link found by name.
    """
    previous = list(
        Neighbourhood.objects.filter(vintage=Geography.G2015).prefetch_related("communes")
    )
    current = list(
        Neighbourhood.objects.filter(vintage=Geography.G2024).prefetch_related("communes")
    )
    by_commune_and_name = {
        (commune.pk, normalised_name(n.name)): n.pk for n in current for commune in n.communes.all()
    }
    wanted: dict[tuple[int, int], str] = {}
    for old in previous:
        for commune in old.communes.all():
            match = by_commune_and_name.get((commune.pk, normalised_name(old.name)))
            if match:
                wanted[(old.pk, match)] = LinkBasis.NAME
    with_contours = [n for n in previous if n.contour is not None]
    for old in with_contours:
        overlapping = Neighbourhood.objects.filter(
            vintage=Geography.G2024, contour__intersects=old.contour
        ).exclude(contour__touches=old.contour)
        for pk in overlapping.values_list("pk", flat=True):
            wanted[(old.pk, pk)] = LinkBasis.CONTOUR
    existing = {
        (link.previous_id, link.current_id): link for link in NeighbourhoodLink.objects.all()
    }
    stale = [link.pk for key, link in existing.items() if key not in wanted]
    NeighbourhoodLink.objects.filter(pk__in=stale).delete()
    created, updated = [], []
    for (old, new), basis in wanted.items():
        link = existing.get((old, new))
        if link is None:
            created.append(NeighbourhoodLink(previous_id=old, current_id=new, basis=basis))
        elif link.basis != basis:
            link.basis = basis
            updated.append(link)
    NeighbourhoodLink.objects.bulk_create(created)
    NeighbourhoodLink.objects.bulk_update(updated, ["basis"])
    return {"created": len(created), "updated": len(updated), "deleted": len(stale)}
