"""This app's resources in the partner API (/api/v1/): published schemes, health structures
and the organisations published content names. Read only: writes are ``api_write``'s.

Built on ``portal.api.base.PublicReadViewSet``: cursor pages, ``?q=``, ``?ordering=``,
``?updated_since=`` and ``<resource>/deleted/``, CSV/XLSX exports and, for schemes and
structures, GeoJSON (``?format=geojson``)."""

import uuid

from django.contrib.gis.geos import MultiPoint
from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound

from devices import api_feed
from devices.api_filters import (
    HealthStructureFilter,
    OrganisationFilter,
    SchemeFilter,
    organisation_lookup,
)
from devices.api_selectors import (
    public_organisations,
    public_schemes,
    public_structures,
)
from devices.api_write import SchemeWriteMixin
from devices.serializers import (
    HealthStructureSerializer,
    OrganisationSerializer,
    SchemeSerializer,
)
from portal.api import renderers
from portal.api.base import PublicReadViewSet

TAG = "Dispositifs et structures"


def geo_properties(view, row: dict) -> dict:
    """A feature's properties: the CSV export's columns, flat (``carrier_name``…)."""
    return {
        renderers.property_name(path): renderers.flatten(row, path)
        for path, _ in view.export_columns
    }


class UidLookupMixin:
    """Rows without an official code are named by their ``uid``: anything that is not a UUID
    is a French 404 (never a database error)."""

    lookup_field = "uid"

    def get_object(self):
        code = self.kwargs[self.lookup_url_kwarg]
        try:
            uid = uuid.UUID(code)
        except ValueError:
            raise NotFound(self.not_found_message.format(code=code[:40])) from None
        try:
            return self.get_queryset().get(uid=uid)
        except self.get_queryset().model.DoesNotExist:
            raise NotFound(self.not_found_message.format(code=code[:40])) from None


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class SchemeViewSet(SchemeWriteMixin, UidLookupMixin, PublicReadViewSet):
    """Dispositifs de santé publiés (CLS, CTS, ASV, CLSM, ARMS) : porteur, territoire
    (communes, EPCI, quartiers), thématiques, rôles avec le seul contact professionnel que la
    personne a accepté de publier, financements, postes d'adultes-relais médiateurs santé
    (employeur, quartiers, dates : jamais le médiateur ni son éligibilité), liens entre
    dispositifs et instances de gouvernance. Identifiant : l'uid du dispositif.

    En GeoJSON (?format=geojson), le territoire d'un dispositif est un MultiPoint : les centres
    des communes qu'il couvre (ses communes, celles de ses EPCI et de ses quartiers) ; null
    quand aucune n'a de centre connu."""

    resource_name = api_feed.SCHEMES
    not_found_message = "Aucun dispositif publié n'a l'identifiant « {code} »."
    serializer_class = SchemeSerializer
    filterset_class = SchemeFilter
    ordering = ("name", "pk")
    ordering_fields = ("name", "kind", "updated_at")
    search_fields = ("name", "description", "carrier__name", "carrier__acronym")
    export_columns = [
        ("uid", "Identifiant (uid)"),
        ("kind", "Type"),
        ("name", "Nom"),
        ("status_label", "Statut"),
        ("stage_label", "Étape du projet"),
        ("carrier.code", "Porteur (SIREN ou uid)"),
        ("carrier.name", "Porteur"),
        ("start_date", "Début"),
        ("end_date", "Fin"),
        ("signed_on", "Signé le"),
        ("territory.communes.code", "Communes (codes INSEE)"),
        ("territory.epcis.code", "EPCI (SIREN)"),
        ("territory.neighbourhoods.code", "Quartiers (codes)"),
        ("thematics.label", "Thématiques"),
        ("participation_level_label", "Participation des habitants"),
        ("coordination_fte", "Coordination (ETP)"),
        ("mediator_posts.uid", "Postes de médiateurs (uid)"),
        ("fundings.uid", "Financements (uid)"),
        ("updated_at", "Modifié le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        geojson = getattr(self.request, "accepted_renderer", None)
        return public_schemes(with_centroids=getattr(geojson, "format", None) == "geojson")

    def geo_feature(self, obj, row):
        centroids = {}
        for commune in obj.communes.all():
            centroids[commune.insee_code] = commune.centroid
        for epci in obj.epcis.all():
            for commune in epci.communes.all():
                centroids[commune.insee_code] = commune.centroid
        for neighbourhood in obj.neighbourhoods.all():
            for commune in neighbourhood.communes.all():
                centroids[commune.insee_code] = commune.centroid
        points = [point for _, point in sorted(centroids.items()) if point is not None]
        geometry = renderers.geometry(MultiPoint(points, srid=4326)) if points else None
        return {
            "type": "Feature",
            "id": str(obj.uid),
            "geometry": geometry,
            "properties": geo_properties(self, row),
        }


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class HealthStructureViewSet(UidLookupMixin, PublicReadViewSet):
    """Structures de santé publiées (MSP, pôles et centres de santé, PASS) : porteur, commune,
    adresse, localisation, rythme d'ouverture d'une PASS, communes desservies. Identifiant :
    l'uid de la structure. En GeoJSON (?format=geojson), un point par structure."""

    resource_name = api_feed.STRUCTURES
    not_found_message = "Aucune structure publiée n'a l'identifiant « {code} »."
    serializer_class = HealthStructureSerializer
    filterset_class = HealthStructureFilter
    ordering = ("name", "pk")
    ordering_fields = ("name", "kind", "updated_at")
    search_fields = ("name", "address", "carrier__name")
    export_columns = [
        ("uid", "Identifiant (uid)"),
        ("kind_label", "Type"),
        ("name", "Nom"),
        ("carrier.code", "Porteur (SIREN ou uid)"),
        ("carrier.name", "Porteur"),
        ("commune.code", "Commune (code INSEE)"),
        ("commune.name", "Commune"),
        ("address", "Adresse"),
        ("location.lon", "Longitude"),
        ("location.lat", "Latitude"),
        ("consultation_every_days", "PASS : ouverte tous les … jours"),
        ("communes_served.code", "Communes desservies (codes INSEE)"),
        ("updated_at", "Modifiée le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return public_structures()

    def geo_feature(self, obj, row):
        return {
            "type": "Feature",
            "id": str(obj.uid),
            "geometry": renderers.geometry(obj.location),
            "properties": geo_properties(self, row),
        }


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class OrganisationViewSet(PublicReadViewSet):
    """Organisations nommées par un contenu publié : porteurs, financeurs, employeurs,
    signataires et membres d'instances des dispositifs publiés, porteurs des structures
    publiées, signataires des contrats de ville, financeurs et porteurs de propositions des
    appels à projets publiés. Identifiant : le SIREN, à défaut l'uid (une délégation qui
    partage le SIREN de son agence se lit par son uid)."""

    resource_name = api_feed.ORGANISATIONS
    not_found_message = "Aucune organisation publiée n'a le code « {code} »."
    lookup_field = "uid"
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering = ("name", "pk")
    ordering_fields = ("name", "kind", "updated_at")
    search_fields = ("name", "acronym", "siren")
    export_columns = [
        ("code", "Code (SIREN ou uid)"),
        ("siren", "SIREN"),
        ("name", "Nom"),
        ("acronym", "Sigle"),
        ("kind_label", "Type"),
        ("parent.code", "Rattachée à (code)"),
        ("department", "Département (code)"),
        ("commune.code", "Commune (code INSEE)"),
        ("epci.code", "EPCI (SIREN)"),
        ("website", "Site web"),
        ("updated_at", "Modifiée le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return public_organisations()

    def get_object(self):
        # A SIREN names the legal entity: when several organisations share one (an ARS and
        # its territorial delegations), the SIREN leads to the head, the others go by uid.
        code = self.kwargs[self.lookup_url_kwarg]
        organisation = (
            self.get_queryset()
            .filter(organisation_lookup("", code))
            .order_by(F("parent").asc(nulls_first=True), "uid")
            .first()
        )
        if organisation is None:
            raise NotFound(self.not_found_message.format(code=code[:40]))
        return organisation


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
    router.register("schemes", SchemeViewSet, basename="scheme")
    router.register("health-structures", HealthStructureViewSet, basename="health-structure")
    router.register("organisations", OrganisationViewSet, basename="organisation")
