"""This app's resources in the partner API (/api/v1/): city contracts with the approved
version of their health section, and published calls for projects. Read only.

Built on ``portal.api.base.PublicReadViewSet`` (cursor pages, ``?q=``, ``?ordering=``, change
feed, CSV/XLSX exports; GeoJSON points for the contracts)."""

from itertools import islice

from drf_spectacular.utils import extend_schema, extend_schema_view

from contracts import api_feed
from contracts.api_filters import CallForProjectsFilter, ContractFilter
from contracts.api_selectors import public_calls, public_contracts
from contracts.serializers import (
    CallForProjectsSerializer,
    ContractSerializer,
    remember_approved_sections,
)
from devices.api import UidLookupMixin, geo_properties
from portal.api import renderers
from portal.api.base import EXPORT_CHUNK_SIZE, PublicReadViewSet

TAG = "Contrats de ville"


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class ContractViewSet(PublicReadViewSet):
    """Contrats de ville (liste de l'ANCT) : porteur, signataires, communes et quartiers,
    localisation, appels à projets publiés, et le volet santé tel que l'ARS l'a validé, avec
    son arbre (orientations → objectifs → priorités d'intervention) et ses actions ; null tant
    qu'aucune version n'a été validée (un brouillon n'est jamais publié, et les modifications
    faites depuis la dernière validation ne le sont pas non plus). Identifiant : le code du
    contrat. En GeoJSON (?format=geojson), un point par contrat."""

    resource_name = api_feed.CONTRACTS
    not_found_message = "Aucun contrat de ville n'a le code « {code} »."
    lookup_field = "code"
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    ordering = ("code", "pk")
    ordering_fields = ("code", "name", "signed_on", "updated_at")
    search_fields = ("code", "name")
    export_columns = [
        ("code", "Code"),
        ("name", "Nom"),
        ("generation", "Génération"),
        ("carrier.code", "Porteur (SIREN ou code INSEE)"),
        ("carrier.name", "Porteur"),
        ("department", "Département (code)"),
        ("signed_on", "Signé le"),
        ("communes.code", "Communes (codes INSEE)"),
        ("neighbourhoods.code", "Quartiers (codes)"),
        ("location.lon", "Longitude"),
        ("location.lat", "Latitude"),
        ("health_section.title", "Volet santé validé"),
        ("health_section.orientations.title", "Orientations du volet santé"),
        ("updated_at", "Modifié le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return public_contracts()

    def rows(self, objects):
        # The approved sections of an export are read a chunk of contracts at a time.
        context = self.get_serializer_context()
        objects = iter(objects)
        while chunk := list(islice(objects, EXPORT_CHUNK_SIZE)):
            remember_approved_sections(context, chunk)
            for contract in chunk:
                yield contract, ContractSerializer(contract, context=context).data

    def geo_feature(self, obj, row):
        return {
            "type": "Feature",
            "id": obj.code,
            "geometry": renderers.geometry(obj.location),
            "properties": geo_properties(self, row),
        }


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class CallForProjectsViewSet(UidLookupMixin, PublicReadViewSet):
    """Appels à projets publiés des contrats de ville : enveloppe, financeur, programme,
    calendrier, bilan des propositions, propositions retenues (montant accordé) et non
    retenues (motif publié). Les avis techniques ne sont pas publiés. Identifiant : l'uid de
    l'appel."""

    resource_name = api_feed.CALLS
    not_found_message = "Aucun appel à projets publié n'a l'identifiant « {code} »."
    serializer_class = CallForProjectsSerializer
    filterset_class = CallForProjectsFilter
    ordering = ("title", "pk")
    ordering_fields = ("title", "year", "updated_at")
    search_fields = ("title", "contract__name", "contract__code")
    export_columns = [
        ("uid", "Identifiant (uid)"),
        ("contract.code", "Contrat (code)"),
        ("year", "Année"),
        ("title", "Intitulé"),
        ("budget", "Enveloppe (€)"),
        ("funder.name", "Financeur"),
        ("programme_label", "Programme"),
        ("summary.proposals", "Propositions reçues"),
        ("summary.retained", "Retenues"),
        ("summary.not_retained", "Non retenues"),
        ("summary.amount_granted", "Montant accordé (€)"),
        ("updated_at", "Modifié le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return public_calls()


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
    router.register("contracts", ContractViewSet, basename="city-contract")
    router.register("calls-for-projects", CallForProjectsViewSet, basename="call-for-projects")
