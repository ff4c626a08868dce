"""This app's resources in the partner API (/api/v1/): city contracts with the approved
version of their health section, and published calls for projects. Read only."""

from contracts.api_filters import CallForProjectsFilter, ContractFilter
from contracts.api_selectors import public_calls, public_contracts
from contracts.serializers import CallForProjectsSerializer, ContractSerializer
from devices.api import PublicReadViewSet


class ContractViewSet(PublicReadViewSet):
    """Contrats de ville (référentiel de l'ANCT) : porteur, signataires, communes et quartiers,
    localisation, et le volet santé tel que validé par l'ARS (null tant qu'aucune version n'a
    été validée : un brouillon n'est jamais publié). Identifiant : le code du contrat."""

    queryset = public_contracts()
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    lookup_field = "code"


class CallForProjectsViewSet(PublicReadViewSet):
    """Appels à projets publiés d'un contrat de ville : enveloppe, financeur, calendrier,
    propositions retenues (montant accordé) et non retenues (motif publié). Les avis
    techniques ne sont pas publiés. Identifiant : l'uid de l'appel."""

    queryset = public_calls()
    serializer_class = CallForProjectsSerializer
    filterset_class = CallForProjectsFilter
    lookup_field = "uid"


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
    router.register("contracts", ContractViewSet, basename="city-contract")
    router.register("calls-for-projects", CallForProjectsViewSet, basename="call-for-projects")
