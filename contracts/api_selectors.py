"""What the partner API reads of the contracts app: every city contract (public reference,
ANCT's list) with only the APPROVED version of its health section, and the published calls
for projects. Each resource's joins and prefetches live here so that a page costs the same
number of queries whatever its size."""

from collections.abc import Iterable

from django.db.models import F, Prefetch, QuerySet

from contracts.models import CallForProjects, CityContract, HealthSection, Proposal, Signatory
from contracts.review_selectors import published_snapshots
from neighbourhoods.models import Commune, Neighbourhood


def public_contracts() -> QuerySet[CityContract]:
    return (
        CityContract.objects.select_related("carrier_epci", "carrier_commune", "department")
        .annotate(section_key=F("health_section__pk"))
        .prefetch_related(
            Prefetch("communes", Commune.objects.only("insee_code", "name").order_by("insee_code")),
            Prefetch(
                "neighbourhoods",
                Neighbourhood.objects.only("code", "name", "vintage").order_by("code"),
            ),
            Prefetch("signatories", Signatory.objects.select_related("organisation")),
            Prefetch(
                "calls_for_projects",
                CallForProjects.objects.published().order_by("-year", "title"),
                to_attr="published_calls",
            ),
        )
        .order_by("code")
    )


def approved_sections(contracts: Iterable[CityContract]) -> dict[str, dict]:
    """The approved snapshot of each contract's health section, by contract code, in one
    query (contracts come from ``public_contracts``). A contract whose section was never
    approved is absent: the public sees nothing of a draft."""
    by_section = {c.section_key: c.code for c in contracts if c.section_key is not None}
    if not by_section:
        return {}
    snapshots = published_snapshots(HealthSection.objects.filter(pk__in=list(by_section)))
    return {by_section[key]: snapshot for key, snapshot in snapshots.items()}


def public_calls() -> QuerySet[CallForProjects]:
    return (
        CallForProjects.objects.published()
        .select_related("contract", "funder")
        .prefetch_related(
            "orientations",
            Prefetch(
                "proposals",
                Proposal.objects.select_related("carrier").order_by("title", "pk"),
            ),
        )
        .order_by("-year", "title", "uid")
    )
