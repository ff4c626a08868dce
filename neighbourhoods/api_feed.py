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


def _touch_through_m2m(instance, action, neighbourhood_side: bool, pk_set, related_name: str):
    """A many-to-many change between neighbourhoods and ``instance`` (a commune, a contract):
    ``neighbourhood_side`` when ``instance`` is the neighbourhood."""
    from neighbourhoods.models import Neighbourhood

    if action == "pre_clear" and not neighbourhood_side:
        # After a clear, the neighbourhoods it concerned are no longer known: note them now.
        instance._feed_cleared = list(
            Neighbourhood.objects.filter(**{related_name: instance}).values_list("pk", flat=True)
        )
        return
    if not action.startswith("post_"):
        return
    if neighbourhood_side:
        touch_neighbourhoods([instance.pk])
    elif action == "post_clear":
        touch_neighbourhoods(getattr(instance, "_feed_cleared", []))
    else:
        touch_neighbourhoods(pk_set or [])


def _touch_on_communes_change(sender, instance, action, reverse, pk_set, **kwargs):
    # Forward side: neighbourhood.communes; reverse: commune.neighbourhoods.
    _touch_through_m2m(instance, action, not reverse, pk_set, "communes")


def _touch_on_contracts_change(sender, instance, action, reverse, pk_set, **kwargs):
    # Forward side: contract.neighbourhoods; reverse: neighbourhood.city_contracts.
    _touch_through_m2m(instance, action, reverse, pk_set, "city_contracts")


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
    # The contracts covering a neighbourhood are part of its payload too.
    from contracts.models import CityContract

    m2m_changed.connect(
        _touch_on_contracts_change,
        sender=CityContract.neighbourhoods.through,
        dispatch_uid="feed-contracts",
    )
