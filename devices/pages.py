"""Public pages of a health scheme and of a health structure. Unpublished rows are a 404; a
person appears only through ``devices.privacy.public_contact``; a mediator post shows its
employer, dates and neighbourhoods, nothing about the mediator."""

import json

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from contracts.models import Action
from contracts.selectors import participation_summary
from devices.enums import RoleKind, SchemeLinkKind
from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMember,
    HealthStructure,
    MediatorPost,
    Role,
    Scheme,
    SchemeLink,
    SchemeSignatory,
)
from devices.privacy import public_contact
from neighbourhoods.models import Commune, Epci
from neighbourhoods.pages import map_of
from neighbourhoods.pages_selectors import french_sorted, neighbourhood_rows
from portal.public_cache import public_page

# A link read from its target's page: « B est le volet territorial de A » reads « A a pour volet
# territorial B » there; a coordination reads the same both ways.
INCOMING_LABELS = {
    SchemeLinkKind.COMPONENT_OF: "A pour volet territorial",
    SchemeLinkKind.COORDINATED_WITH: SchemeLinkKind.COORDINATED_WITH.label,
}


def _crumbs(current: str) -> dict:
    return {
        "links": [
            {"url": reverse("home"), "title": "Accueil"},
            {"url": reverse("directory"), "title": "Annuaire"},
        ],
        "current": current,
    }


def _scheme(uid) -> Scheme | None:
    published = Scheme.objects.published()
    return (
        Scheme.objects.published()
        .select_related("carrier", "reference_hospital")
        .prefetch_related(
            Prefetch("communes", Commune.objects.select_related("department").order_by("name")),
            Prefetch("epcis", Epci.objects.order_by("name")),
            Prefetch(
                "neighbourhoods",
                neighbourhood_rows().prefetch_related(
                    Prefetch("communes", Commune.objects.only("pk", "insee_code", "name"))
                ),
            ),
            "thematics",
            Prefetch(
                "outgoing_links",
                SchemeLink.objects.filter(target__in=published)
                .select_related("target__carrier")
                .order_by("kind", "target__name"),
            ),
            Prefetch(
                "incoming_links",
                SchemeLink.objects.filter(source__in=published)
                .select_related("source__carrier")
                .order_by("kind", "source__name"),
            ),
            Prefetch(
                "signatories",
                SchemeSignatory.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
            Prefetch(
                "roles",
                Role.objects.filter(kind=RoleKind.COORDINATOR)
                .select_related("person__organisation")
                .order_by("start_date", "pk"),
                to_attr="coordinator_roles",
            ),
            Prefetch(
                "governance_bodies",
                GovernanceBody.objects.prefetch_related(
                    Prefetch(
                        "members",
                        GovernanceMember.objects.select_related(
                            "organisation", "role__person__organisation", "role__organisation"
                        ),
                    )
                ),
            ),
            Prefetch(
                "mediator_posts",
                MediatorPost.objects.select_related("employer")
                .only("uid", "scheme", "start_date", "end_date", "renewals", "employer")
                .prefetch_related(
                    Prefetch("neighbourhoods", neighbourhood_rows().only("code", "name"))
                )
                .order_by("start_date", "pk"),
            ),
            Prefetch("fundings", Funding.objects.select_related("funder")),
        )
        .filter(uid=uid)
        .first()
    )


def _member(member: GovernanceMember) -> dict:
    """A seat in public form: the organisation, or the role and, with their consent only, the
    person's published name."""
    if member.organisation_id:
        return {"name": str(member.organisation), "detail": "", "chairs": member.chairs}
    role = member.role
    contact = public_contact(role.person)
    where = role.organisation or role.scheme or ""
    return {
        "name": contact["name"] if contact else role.get_kind_display(),
        "detail": f"{role.get_kind_display()}{f' – {where}' if where else ''}"
        if contact
        else str(where),
        "chairs": member.chairs,
    }


@public_page
@require_safe
def scheme_page(request, uid):
    scheme = _scheme(uid)
    if scheme is None:
        raise Http404("Dispositif inconnu ou non publié.")
    neighbourhoods = list(scheme.neighbourhoods.all())
    contacts = [
        contact
        for contact in (public_contact(role.person) for role in scheme.coordinator_roles)
        if contact
    ]
    links = [
        {"label": link.get_kind_display(), "scheme": link.target, "note": link.note}
        for link in scheme.outgoing_links.all()
    ] + [
        {"label": INCOMING_LABELS[link.kind], "scheme": link.source, "note": link.note}
        for link in scheme.incoming_links.all()
    ]
    bodies = [
        {"body": body, "members": [_member(m) for m in body.members.all()]}
        for body in scheme.governance_bodies.all()
    ]
    posts = list(scheme.mediator_posts.all())
    fundings = sorted(scheme.fundings.all(), key=lambda f: (-f.year, f.programme, f.pk))
    # Participation counted over the actions of published (approved) health sections only.
    participation = participation_summary(
        Action.objects.filter(schemes=scheme, objective__section__is_published=True)
    )
    context = {
        "scheme": scheme,
        "communes": french_sorted(scheme.communes.all()),
        "epcis": list(scheme.epcis.all()),
        "neighbourhoods": neighbourhoods,
        "map": map_of(neighbourhoods, request),
        "thematics": list(scheme.thematics.all()),
        "contacts": contacts,
        "has_coordinator": bool(scheme.coordinator_roles),
        "links": links,
        "signatories": list(scheme.signatories.all()),
        "bodies": bodies,
        "posts": posts,
        "post_employers": sorted({str(p.employer) for p in posts}),
        "fundings": fundings,
        "fundings_illustrative": any(f.illustrative for f in fundings),
        "participation": participation,
        "title": f"{scheme.get_kind_display()} — {scheme.name}",
        "breadcrumb_data": _crumbs(f"{scheme.kind} {scheme.name}"),
    }
    return render(request, "public/pages/scheme.html", context)


def _structure(uid) -> HealthStructure | None:
    return (
        HealthStructure.objects.published()
        .select_related("carrier", "commune__department__region", "commune__epci")
        .prefetch_related(Prefetch("communes_served", Commune.objects.order_by("name")))
        .filter(uid=uid)
        .first()
    )


@public_page
@require_safe
def structure_page(request, uid):
    structure = _structure(uid)
    if structure is None:
        raise Http404("Structure inconnue ou non publiée.")
    context = {
        "structure": structure,
        "communes_served": french_sorted(structure.communes_served.all()),
        "neighbourhoods": list(
            neighbourhood_rows()
            .filter(communes=structure.commune_id)
            .only("code", "name", "vintage")
        ),
        "title": f"{structure.name} ({structure.commune.name})",
        "breadcrumb_data": _crumbs(structure.name),
    }
    return render(request, "public/pages/structure.html", context)


@require_safe
@cache_control(public=True, max_age=3600)
def structure_geojson(request, uid):
    """The structure's location as a one-feature GeoJSON layer, for its page's map."""
    structure = (
        HealthStructure.objects.published()
        .filter(uid=uid)
        .only("uid", "name", "kind", "location")
        .first()
    )
    if structure is None:
        raise Http404("Structure inconnue ou non publiée.")
    features = []
    if structure.location is not None:
        features.append(
            {
                "type": "Feature",
                "id": str(structure.uid),
                # The map's popup reads « nom (code) » and links to « url ».
                "properties": {
                    "nom": structure.name,
                    "code": structure.get_kind_display(),
                    "type": "structure",
                    "url": reverse("structure-page", args=[structure.uid]),
                },
                "geometry": json.loads(structure.location.geojson),
            }
        )
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")
