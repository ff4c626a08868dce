"""Funding lines of schemes and the scheme's own fields through the API."""

import pytest
from django.urls import include, path
from rest_framework import mixins, viewsets
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIClient

from devices.api_write import SchemeWriteMixin, SchemeWriteSerializer, WritableViewSet
from devices.models import Funding, Scheme, SchemeSignatory
from portal import urls as portal_urls
from portal.api_tokens import TokenScope, may_write_through_api, token_create
from tests.api.write_world import write_world
from tests.devices.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return write_world()


def client_of(user=None, scope=TokenScope.READ_WRITE, **token) -> APIClient:
    """A client with a token of ``user`` (none for the anonymous visitor)."""
    client = APIClient()
    if user is not None and user.is_authenticated:
        if scope == TokenScope.READ_WRITE and not may_write_through_api(user):
            scope = TokenScope.READ
        _, raw = token_create(owner=user, name="Test", scope=scope, **token)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def field_errors(response) -> dict:
    """The problem detail's field errors, by field (None: the whole object)."""
    assert response["Content-Type"].startswith("application/problem+json")
    errors: dict = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["field"], []).append(error["detail"])
    return errors


def payload(scheme, funder=None, **values) -> dict:
    funder = funder or OrganisationFactory(kind="state", name="Préfecture du Nord")
    return {
        "scheme": str(scheme.uid),
        "funder": str(funder.uid),
        "year": 2024,
        "programme": "adult_relay",
        **values,
    }


def test_a_coordinator_adds_a_funding_line_to_a_scheme_of_their_territory(world):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/fundings/", payload(world.scheme_a, amount="21000.50"), format="json"
    )

    assert response.status_code == 201, response.content
    line = Funding.objects.get(uid=response.json()["uid"])
    assert line.purpose == "coordination"  # the model's default
    assert line.history.latest().history_user == world["coordinator_a"]


def test_a_funding_line_of_a_scheme_of_another_territory_is_refused(world):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/fundings/", payload(world.scheme_b, amount="100"), format="json"
    )

    assert response.status_code in (400, 403)
    assert "territoire" in response.content.decode()
    assert not Funding.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({}, None, "Indiquez un montant ou une part."),
        ({"share": "100.5"}, "share", "100"),
        ({"amount": "-1"}, None, "négatif"),
        ({"amount": "1", "purpose": "autre"}, "purpose", "choix"),
    ],
)
def test_funding_lines_follow_the_model_rules(world, values, field, message):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/fundings/", payload(world.scheme_a, **values), format="json"
    )

    assert response.status_code == 400
    assert message in str(field_errors(response)[field])


def test_an_ars_funded_clsm_must_be_signed_by_the_ars_the_authority_and_the_hospital(world):
    clsm = Scheme.objects.create(
        kind="CLSM", name="CLSM Valenciennes", carrier=world.employer, is_published=True
    )
    clsm.epcis.set([world.epci_a])
    ars = OrganisationFactory(kind="ars", name="ARS Hauts-de-France")
    client = client_of(world["coordinator_a"])

    refused = client.post(
        "/api/v1/fundings/", payload(clsm, ars, programme="ars_fir", amount="5000"), format="json"
    )
    hospital = OrganisationFactory(hospital=True)
    clsm.reference_hospital = hospital
    clsm.save()
    for organisation, role in ((ars, "ars"), (world.employer, "commune"), (hospital, "other")):
        SchemeSignatory.objects.create(scheme=clsm, organisation=organisation, role=role)
    accepted = client.post(
        "/api/v1/fundings/", payload(clsm, ars, programme="ars_fir", amount="5000"), format="json"
    )

    assert refused.status_code == 400
    assert "Un CLSM financé par l'ARS a obligatoirement pour signataires" in str(
        field_errors(refused)["funder"]
    )
    assert accepted.status_code == 201, accepted.content


# The scheme's write half, on a stand-in for the catalogue's read viewset.


class SchemeReadSerializer(SchemeWriteSerializer):
    pass


class StandInSchemeViewSet(SchemeWriteMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Scheme.objects.all()
    serializer_class = SchemeReadSerializer
    lookup_field = "uid"
    lookup_value_regex = WritableViewSet.lookup_value_regex
    http_method_names = ("get", "patch")


router = DefaultRouter()
router.register("schemes", StandInSchemeViewSet, basename="scheme")
urlpatterns = [path("api/v1/", include(router.urls)), *portal_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_a_coordinator_patches_a_scheme_of_their_territory_not_another(world):
    client = client_of(world["coordinator_a"])

    mine = client.patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/",
        {"description": "Deux médiatrices santé.", "neighbourhoods": ["QN05901A"]},
        format="json",
    )
    foreign_qpv = client.patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/", {"neighbourhoods": ["QN05901B"]}, format="json"
    )
    theirs = client.patch(
        f"/api/v1/schemes/{world.scheme_b.uid}/", {"description": "x"}, format="json"
    )
    kind_field = client.patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/", {"coordination_fte": "0.5"}, format="json"
    )

    assert mine.status_code == 200, mine.content
    assert mine.json()["description"] == "Deux médiatrices santé."
    assert world.scheme_a.history.latest().history_user == world["coordinator_a"]
    assert foreign_qpv.status_code == 400
    assert "n'est pas dans votre territoire" in str(field_errors(foreign_qpv)["neighbourhoods"])
    assert theirs.status_code == 403
    assert kind_field.status_code == 400
    assert "ne concerne que les dispositifs ASV" in str(
        field_errors(kind_field)["coordination_fte"]
    )


@pytest.mark.urls(__name__)
def test_a_scheme_patch_with_a_stale_etag_is_refused(world):
    client = client_of(world["coordinator_a"])
    first = client.patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/", {"description": "a"}, format="json"
    )
    etag = first["ETag"]
    client.patch(f"/api/v1/schemes/{world.scheme_a.uid}/", {"description": "b"}, format="json")

    stale = client.patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/",
        {"description": "c"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert stale.status_code == 412
    world.scheme_a.refresh_from_db()
    assert world.scheme_a.description == "b"


@pytest.mark.urls(__name__)
def test_anonymous_cannot_patch_a_scheme(world):
    response = client_of().patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/", {"description": "x"}, format="json"
    )

    assert response.status_code == 401


# PATCH on the catalogue's scheme viewset (devices/api.py), through SchemeWriteMixin.


def test_the_mixin_on_the_catalogue_viewset_patches_and_answers_its_representation(world):
    client = client_of(world["coordinator_a"])

    response = client.patch(
        f"/api/v1/schemes/{world.scheme_a.uid}/", {"description": "Mise à jour."}, format="json"
    )
    garbage = client.patch("/api/v1/schemes/pas-un-uid/", {"description": "x"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Mise à jour."
    assert "territory" in response.json()  # the catalogue's representation
    assert garbage.status_code == 404
