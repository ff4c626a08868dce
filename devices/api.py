"""This app's resources in the partner API (/api/v1/): published schemes, health structures
and the organisations published content names. Read only: writes are in ``api_write``."""

from django.db.models import F
from django.http import Http404
from rest_framework import mixins, viewsets

from devices.api_filters import (
    HealthStructureFilter,
    OrganisationFilter,
    SchemeFilter,
    organisation_lookup,
)
from devices.api_selectors import public_organisations, public_schemes, public_structures
from devices.serializers import (
    HealthStructureSerializer,
    OrganisationSerializer,
    SchemeSerializer,
)


class PublicReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pass


class SchemeViewSet(PublicReadViewSet):
    """Dispositifs de santé publiés (CLS, CTS, ASV, CLSM, ARMS) : porteur, territoire
    (communes, EPCI, quartiers), thématiques, contacts professionnels publiés, financements,
    postes de médiateurs (jamais de données personnelles), liens entre dispositifs et
    instances de gouvernance. Identifiant : l'uid du dispositif."""

    queryset = public_schemes()
    serializer_class = SchemeSerializer
    filterset_class = SchemeFilter
    lookup_field = "uid"


class HealthStructureViewSet(PublicReadViewSet):
    """Structures de santé publiées (MSP, pôles et centres de santé, PASS) : porteur, commune,
    adresse, localisation, rythme d'ouverture d'une PASS, communes desservies. Identifiant :
    l'uid de la structure."""

    queryset = public_structures()
    serializer_class = HealthStructureSerializer
    filterset_class = HealthStructureFilter
    lookup_field = "uid"


class OrganisationViewSet(PublicReadViewSet):
    """Organisations nommées par un contenu publié (porteurs, financeurs, employeurs,
    signataires, membres d'instances). Identifiant : le SIREN, à défaut l'uid."""

    queryset = public_organisations()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Fa-f-]{9,36}"

    def get_object(self):
        # A SIREN names the legal entity: when several organisations share one (an ARS and
        # its territorial delegations), the SIREN is the head's and the others go by uid.
        code = self.kwargs["code"]
        queryset = self.filter_queryset(self.get_queryset()).filter(organisation_lookup("", code))
        organisation = queryset.order_by(F("parent").asc(nulls_first=True), "uid").first()
        if organisation is None:
            raise Http404("Aucune organisation publiée n'a ce code.")
        self.check_object_permissions(self.request, organisation)
        return organisation


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
    router.register("schemes", SchemeViewSet, basename="scheme")
    router.register("health-structures", HealthStructureViewSet, basename="health-structure")
    router.register("organisations", OrganisationViewSet, basename="organisation")
