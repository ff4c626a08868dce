"""What the partner API reads of the devices app: published rows only, each resource with the
joins and prefetches its serializer needs, so that a page costs the same number of queries
whatever its size."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMember,
    HealthStructure,
    MediatorPost,
    Organisation,
    Role,
    Scheme,
    SchemeLink,
    SchemeSignatory,
)
from neighbourhoods.models import Commune, Epci, Neighbourhood


def public_roles(today: date | None = None) -> QuerySet[Role]:
    """Current roles of people who agreed to publish their professional contact: the others
    are not published at all (not even « a coordinator, contact withheld »)."""
    today = today or date.today()
    return (
        Role.objects.filter(person__publish_professional_contact=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person__organisation")
        .order_by("kind", "person__last_name", "person__first_name", "pk")
    )


def public_schemes(*, with_centroids: bool = False) -> QuerySet[Scheme]:
    """Published schemes with everything their API payload shows, in a constant number of
    queries (one per relation, whatever the number of schemes).

    ``with_centroids`` adds what a scheme's GeoJSON territory needs: the centre of every
    commune it covers, directly, through its EPCI or through its neighbourhoods (two more
    queries)."""
    communes = Commune.objects.only("insee_code", "name").order_by("insee_code")
    epcis = Epci.objects.order_by("name")
    neighbourhoods = Neighbourhood.objects.only("code", "name", "vintage").order_by("code")
    if with_centroids:
        centres = Commune.objects.only("insee_code", "name", "centroid", "epci_id")
        communes = communes.only("insee_code", "name", "centroid")
        epcis = epcis.prefetch_related(Prefetch("communes", centres))
        neighbourhoods = neighbourhoods.prefetch_related(Prefetch("communes", centres))
    return (
        Scheme.objects.published()
        .select_related("carrier", "reference_hospital")
        .prefetch_related(
            Prefetch("communes", communes),
            Prefetch("epcis", epcis),
            Prefetch("neighbourhoods", neighbourhoods),
            "thematics",
            Prefetch("roles", public_roles()),
            Prefetch("fundings", Funding.objects.select_related("funder")),
            Prefetch(
                "mediator_posts",
                MediatorPost.objects.select_related("employer")
                .prefetch_related(
                    Prefetch("neighbourhoods", Neighbourhood.objects.only("code", "name"))
                )
                .order_by("start_date", "uid"),
            ),
            Prefetch("signatories", SchemeSignatory.objects.select_related("organisation")),
            # Links to or from an unpublished scheme are not shown.
            Prefetch(
                "outgoing_links",
                SchemeLink.objects.filter(target__is_published=True).select_related("target"),
            ),
            Prefetch(
                "incoming_links",
                SchemeLink.objects.filter(source__is_published=True)
                .select_related("source")
                .order_by("kind", "source__name"),
            ),
            Prefetch(
                "governance_bodies",
                GovernanceBody.objects.order_by("kind").prefetch_related(
                    Prefetch(
                        "members",
                        GovernanceMember.objects.select_related(
                            "organisation", "role__person__organisation"
                        ),
                    )
                ),
            ),
        )
        .order_by("kind", "name")
    )


def public_structures() -> QuerySet[HealthStructure]:
    return (
        HealthStructure.objects.published()
        .select_related("carrier", "commune")
        .prefetch_related(
            Prefetch(
                "communes_served",
                Commune.objects.only("insee_code", "name").order_by("insee_code"),
            )
        )
        .order_by("name", "uid")
    )


def public_organisations() -> QuerySet[Organisation]:
    """Organisations that published content names: carriers, funders, employers, signatories,
    members of the governance of published schemes; carriers of published structures;
    signatories of city contracts (public reference) and funders and proposal carriers of
    published calls for projects.

    Organisations are institutions, but the back office holds partners that appear in nothing
    published yet (a draft scheme's carrier, a proposal to a call not yet published): the API
    does not publish them before the content that names them."""
    from contracts.models import CallForProjects, Proposal, Signatory

    published = Scheme.objects.published()
    links = (
        Exists(published.filter(carrier=OuterRef("pk"))),
        Exists(published.filter(reference_hospital=OuterRef("pk"))),
        Exists(Funding.objects.filter(scheme__in=published, funder=OuterRef("pk"))),
        Exists(MediatorPost.objects.filter(scheme__in=published, employer=OuterRef("pk"))),
        Exists(SchemeSignatory.objects.filter(scheme__in=published, organisation=OuterRef("pk"))),
        Exists(
            GovernanceMember.objects.filter(body__scheme__in=published, organisation=OuterRef("pk"))
        ),
        Exists(HealthStructure.objects.published().filter(carrier=OuterRef("pk"))),
        Exists(Signatory.objects.filter(organisation=OuterRef("pk"))),
        Exists(CallForProjects.objects.published().filter(funder=OuterRef("pk"))),
        Exists(Proposal.objects.filter(call__is_published=True, carrier=OuterRef("pk"))),
    )
    condition = Q()
    for link in links:
        condition |= Q(link)
    return (
        Organisation.objects.filter(condition)
        .select_related("parent", "commune", "epci", "department")
        .order_by("name", "uid")
    )
