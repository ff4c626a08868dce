"""The territories' side of the API change feed (portal/api/feed.py).

Deletions leave tombstones named after the API resources. A neighbourhood's ``updated_at`` moves
when a child that is part of its API payload changes (indicator values, citizen council and its
coverage, typology families, 2015↔2024 links, communes), so that a mirror asking for
``?updated_since=`` sees it. Writes that bypass signals (bulk imports) call
``touch_neighbourhoods`` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from portal.tombstones import track_deletions


def touch_neighbourhoods(ids) -> None:
    """Marks these neighbourhoods as changed now (one UPDATE, no signal)."""
    from neighbourhoods.models import Neighbourhood

    ids = {pk for pk in ids if pk is not None}
    if ids:
        Neighbourhood.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _touch_own_neighbourhood(sender, instance, **kwargs):
    touch_neighbourhoods([instance.neighbourhood_id])


def _touch_linked(sender, instance, **kwargs):
    touch_neighbourhoods([instance.previous_id, instance.current_id])


def _touch_council_neighbourhoods(sender, instance, **kwargs):
    from neighbourhoods.models import CitizenCouncilCoverage

    touch_neighbourhoods(
        CitizenCouncilCoverage.objects.filter(council=instance).values_list(
            "neighbourhood_id", flat=True
        )
    )


def _touch_on_communes_change(sender, instance, action, reverse, pk_set, **kwargs):
    from neighbourhoods.models import Neighbourhood

    if not action.startswith("post_"):
        return
    if not reverse:
        touch_neighbourhoods([instance.pk])
    elif pk_set:
        touch_neighbourhoods(pk_set)
    else:  # commune.neighbourhoods.clear(): the affected ones are no longer known
        touch_neighbourhoods(Neighbourhood.objects.filter(communes=instance).values("pk"))


def connect_feed() -> None:
    from neighbourhoods import models

    for model, resource, code in (
        (models.Region, "regions", "code"),
        (models.Department, "departments", "code"),
        (models.Epci, "epci", "siren"),
        (models.Commune, "communes", "insee_code"),
        (models.Neighbourhood, "neighbourhoods", "code"),
    ):
        track_deletions(model, resource, code)

    for child in (
        models.IndicatorValue,
        models.CitizenCouncilCoverage,
        models.FamilyMembership,
    ):
        for signal in (post_save, post_delete):
            signal.connect(_touch_own_neighbourhood, sender=child, dispatch_uid=f"feed-{child}")
    for signal in (post_save, post_delete):
        signal.connect(_touch_linked, sender=models.NeighbourhoodLink, dispatch_uid="feed-link")
    # A council's own change (name, members, contact): its neighbourhoods show it.
    post_save.connect(
        _touch_council_neighbourhoods, sender=models.CitizenCouncil, dispatch_uid="feed-council"
    )
    m2m_changed.connect(
        _touch_on_communes_change,
        sender=models.Neighbourhood.communes.through,
        dispatch_uid="feed-communes",
    )
