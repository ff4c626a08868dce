"""The schemes resource of the API: published schemes only, by uid, with their territory,
public roles, funding, posts and links, and nothing private."""

import pytest

from devices.models import Funding, Role, Scheme
from tests.api.catalog_world import (  # noqa: F401 (fixtures)
    PRIVATE_EMAIL,
    UNPUBLISHED_MARKER,
    assert_no_secret,
    body_of,
    no_throttling,
    ogr_summary,
    world_fixture,
)
from tests.api.problems import problem_fields
from tests.devices.factories import SchemeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/schemes/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_the_list_holds_the_published_schemes_only(client, world):
    response = client.get(URL)

    assert names(response) == [
        "ASV de Lille",
        "CLS de la MEL",
        "Médiation santé du CCAS de Lille",
    ]
    assert_no_secret(response.content)


def test_an_unpublished_scheme_is_a_french_404(client, world):
    response = client.get(f"{URL}{world.draft_scheme.uid}/")

    assert response.status_code == 404
    assert "Aucun dispositif publié" in response.json()["detail"]


@pytest.mark.parametrize("code", ["123", "not-a-uuid", "0" * 200, "%00"])
def test_a_malformed_uid_is_a_french_404_not_an_error(client, world, code):
    response = client.get(f"{URL}{code}/")

    assert response.status_code == 404
    assert "Aucun dispositif publié" in response.json()["detail"]


def test_a_scheme_is_named_by_codes_and_urls_never_ids(client, world):
    body = client.get(f"{URL}{world.cls.uid}/").json()

    assert body["uid"] == str(world.cls.uid)
    assert body["url"] == f"http://testserver{URL}{world.cls.uid}/"
    assert "id" not in body and "pk" not in body
    assert body["carrier"]["code"] == str(world.extras["city"].uid)
    assert body["carrier"]["url"].endswith(f"/api/v1/organisations/{world.extras['city'].uid}/")
    assert body["territory"]["epcis"] == [
        {
            "code": world.mel.siren,
            "name": "Métropole Européenne de Lille",
            "url": f"http://testserver/api/v1/epci/{world.mel.siren}/",
        }
    ]
    assert [t["code"] for t in body["thematics"]] == ["acces-droits-soins", "sante-mentale"]
    assert body["signatories"][0]["organisation"]["code"] == "130007891"  # its SIREN
    assert body["linked_from"] == [
        {
            "kind": "component_of",
            "kind_label": "Volet territorial de",
            "scheme": {
                "code": str(world.asv.uid),
                "kind": "ASV",
                "name": "ASV de Lille",
                "url": f"http://testserver{URL}{world.asv.uid}/",
            },
            "note": "",
        }
    ]


def test_roles_show_only_published_professional_contacts(client, world):
    body = client.get(f"{URL}{world.asv.uid}/").json()

    assert body["roles"] == [
        {
            "kind": "coordinator",
            "kind_label": "Coordinateur·rice",
            "contact": {
                "name": "Claire Publique",
                "organisation": "Ville de Lille",
                "email": "asv@ville-lille.fr",
                "phone": "0320000000",
            },
        }
    ]
    assert PRIVATE_EMAIL not in str(body)


def test_a_governance_seat_of_a_person_without_consent_is_left_out(client, world):
    body = client.get(f"{URL}{world.cls.uid}/").json()

    [copil] = body["governance_bodies"]
    assert copil["kind"] == "steering"
    assert [(m["organisation"]["name"], m["chairs"]) for m in copil["members"]] == [
        ("ARS Hauts-de-France", True)
    ]


def test_a_mediator_post_shows_the_post_never_the_mediator(client, world):
    body = client.get(f"{URL}{world.arms.uid}/").json()

    [post] = body["mediator_posts"]
    assert post["employer"]["name"] == "CCAS de Lille"
    assert [n["code"] for n in post["neighbourhoods"]] == ["QN05971M", "QN05972M"]
    assert post["start_date"] == "2016-01-01"
    for private in ("mediator", "over_30", "lives_in_qpv", "job_seeker_or_insertion"):
        assert private not in post
    assert_no_secret(client.get(f"{URL}{world.arms.uid}/").content)


def test_funding_lines_name_their_funder_programme_and_purpose(client, world):
    [line] = client.get(f"{URL}{world.asv.uid}/").json()["fundings"]

    assert line["funder"]["code"] == "130007891"
    assert (line["year"], line["programme"], line["purpose"]) == (2016, "ars_fir", "coordination")
    assert line["amount"] == "30000.00"


def test_links_to_an_unpublished_scheme_are_not_shown(client, world):
    body = client.get(f"{URL}{world.asv.uid}/").json()

    assert [link["scheme"]["name"] for link in body["links"]] == ["CLS de la MEL"]
    assert body["linked_from"] == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=ASV", ["ASV de Lille"]),
        (
            "status=operational",
            ["ASV de Lille", "CLS de la MEL", "Médiation santé du CCAS de Lille"],
        ),
        ("stage=programming", ["CLS de la MEL"]),
        ("thematic=sante-mentale", ["CLS de la MEL"]),
        ("region=32", ["ASV de Lille", "CLS de la MEL", "Médiation santé du CCAS de Lille"]),
        ("region=75", []),
        ("department=59", ["ASV de Lille", "CLS de la MEL", "Médiation santé du CCAS de Lille"]),
        ("department=33,62", []),
        ("commune=59512", ["CLS de la MEL"]),  # Roubaix: through the CLS's EPCI only
        ("commune=59350", ["ASV de Lille", "CLS de la MEL", "Médiation santé du CCAS de Lille"]),
        # Wazemmes: the CLS (EPCI) and the mediation (Lille), not the ASV of Moulins only.
        ("neighbourhood=QN05972M", ["CLS de la MEL", "Médiation santé du CCAS de Lille"]),
        (
            "neighbourhood=QN05971M",
            ["ASV de Lille", "CLS de la MEL", "Médiation santé du CCAS de Lille"],
        ),
        ("neighbourhood=QN99999X", []),  # unknown: empty, not an error
        ("q=médiation", ["Médiation santé du CCAS de Lille"]),
        ("q=ccas lille", ["Médiation santé du CCAS de Lille"]),
        ("q=MEDIATION sante", ["Médiation santé du CCAS de Lille"]),  # accents folded
        ("q=ville de lille", ["ASV de Lille", "CLS de la MEL"]),  # the carrier's name
        ("q=" + UNPUBLISHED_MARKER, []),
    ],
)
def test_each_filter_narrows_the_list(client, world, query, expected):
    assert names(client.get(f"{URL}?{query}")) == expected


def test_the_epci_filter_takes_a_siren(client, world):
    assert names(client.get(f"{URL}?epci={world.mel.siren}")) == [
        "ASV de Lille",
        "CLS de la MEL",
        "Médiation santé du CCAS de Lille",
    ]


def test_the_carrier_filter_takes_a_siren_or_a_uid(client, world):
    ccas = world.extras["ccas"]
    assert names(client.get(f"{URL}?carrier={ccas.uid}")) == ["Médiation santé du CCAS de Lille"]
    assert names(client.get(f"{URL}?carrier=130007891")) == []
    assert names(client.get(f"{URL}?carrier=n-importe-quoi")) == []


def test_ordering_by_kind_then_descending_name(client, world):
    assert names(client.get(f"{URL}?ordering=kind")) == [
        "Médiation santé du CCAS de Lille",  # ARMS
        "ASV de Lille",
        "CLS de la MEL",
    ]
    assert names(client.get(f"{URL}?ordering=-name")) == [
        "Médiation santé du CCAS de Lille",
        "CLS de la MEL",
        "ASV de Lille",
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("kind=XYZ", "kind"),
        ("status=ouvert", "status"),
        ("stage=%00", "stage"),
        ("department=59;DROP", "department"),
        ("region=" + ",".join(["32"] * 101), "region"),
        ("thematic=" + "x" * 51, "thematic"),
        ("ordering=mediator", "ordering"),
        ("updated_since=hier", "updated_since"),
        ("page_size=5000", "page_size"),
    ],
)
def test_bad_parameters_are_french_400s(client, world, query, field):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400, response.content
    message = " ".join(problem_fields(response)[field])
    assert any(
        word in message
        for word in ("Sélectionnez", "Code", "codes", "Tri", "Date", "Taille", "caractère")
    ), message


def test_a_child_change_moves_the_scheme_in_the_change_feed(client, world, time_machine):
    time_machine.move_to("2031-01-01T10:00:00Z")
    since = "2031-01-01T09:00:00Z"
    assert names(client.get(f"{URL}?updated_since={since}")) == []

    Funding.objects.create(
        scheme=world.cls, funder=world.extras["ars"], year=2017, programme="p147", share=50
    )
    assert names(client.get(f"{URL}?updated_since={since}")) == ["CLS de la MEL"]

    time_machine.move_to("2031-02-01T10:00:00Z")
    since = "2031-02-01T09:00:00Z"
    world.extras["post"].neighbourhoods.remove(world.wazemmes)
    assert names(client.get(f"{URL}?updated_since={since}")) == ["Médiation santé du CCAS de Lille"]

    time_machine.move_to("2031-03-01T10:00:00Z")
    since = "2031-03-01T09:00:00Z"
    world.extras["public_person"].professional_phone = "0321000000"
    world.extras["public_person"].save()
    world.cls.communes.add(world.roubaix)
    assert sorted(names(client.get(f"{URL}?updated_since={since}"))) == [
        "ASV de Lille",  # the person's published contact
        "CLS de la MEL",  # a commune added
    ]

    time_machine.move_to("2031-04-01T10:00:00Z")
    since = "2031-04-01T09:00:00Z"
    Role.objects.filter(scheme=world.asv).delete()
    assert names(client.get(f"{URL}?updated_since={since}")) == ["ASV de Lille"]


def test_deleted_and_withdrawn_schemes_leave_tombstones(client, world, time_machine):
    time_machine.move_to("2031-01-01T10:00:00Z")
    deleted_uid = str(world.arms.uid)
    world.arms.delete()
    world.asv.is_published = False
    world.asv.save()
    world.draft_scheme.name = "Toujours brouillon"
    world.draft_scheme.save()  # never published: no tombstone

    listing = client.get(f"{URL}?updated_since=2031-01-01T09:00:00Z").json()
    feed = client.get(listing["deleted"]).json()

    assert [row["code"] for row in feed["results"]] == [deleted_uid, str(world.asv.uid)]
    assert [row["name"] for row in listing["results"]] == []


def test_csv_and_xlsx_exports_follow_the_filters(client, world):
    text = body_of(client.get(f"{URL}?format=csv&department=59")).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()

    assert lines[0].startswith("Identifiant (uid);Type;Nom;Statut")
    assert len(lines) == 1 + 3
    assert f"{world.mel.siren}" in text
    assert_no_secret(text.encode())

    response = client.get(f"{URL}?format=xlsx&kind=ASV")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_geojson_territories_read_back_with_ogr(client, world):
    response = client.get(f"{URL}?format=geojson")
    document = body_of(response)

    assert response["Content-Type"].startswith("application/geo+json")
    assert_no_secret(document)
    summary = ogr_summary(document)
    assert "Feature Count: 3" in summary
    assert "Geometry: Multi Point" in summary
    # The CLS covers the MEL: Lille and Roubaix's centres.
    import json

    features = {f["properties"]["name"]: f for f in json.loads(document)["features"]}
    assert features["CLS de la MEL"]["geometry"] == {
        "type": "MultiPoint",
        "coordinates": [[3.06, 50.63], [3.18, 50.69]],
    }
    assert features["CLS de la MEL"]["id"] == str(world.cls.uid)


def test_geojson_follows_the_filters(client, world):
    document = body_of(client.get(f"{URL}?format=geojson&kind=ARMS"))

    assert "Feature Count: 1" in ogr_summary(document)


def many_schemes(world, count: int) -> None:
    for n in range(count - 1):
        scheme = SchemeFactory(kind="ASV", name=f"ASV n° {n}", is_published=True)
        scheme.communes.add(world.lille)
        scheme.neighbourhoods.add(world.moulins)
        scheme.epcis.add(world.mel)
        Funding.objects.create(
            scheme=scheme, funder=world.extras["ars"], year=2016, programme="p147", share=10
        )
        Role.objects.create(person=world.extras["public_person"], scheme=scheme, kind="referent")


# The schemes, then one query per prefetched relation: communes, EPCI, neighbourhoods,
# thematics, roles, fundings, mediator posts, signatories, links both ways, governance bodies
# (with no post or body in the page, their own relations are not asked for).
LIST_QUERIES = 12


@pytest.mark.parametrize("rows", [1, 100])
def test_query_counts_do_not_depend_on_the_number_of_schemes(
    client, world, django_assert_num_queries, rows
):
    Scheme.objects.exclude(pk=world.asv.pk).update(is_published=False)
    world.asv.epcis.add(world.mel)  # the single row has every relation the others have
    many_schemes(world, rows)
    assert Scheme.objects.published().count() == rows

    # One query for the schemes, one per prefetched relation.
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(f"{URL}?page_size=1000").status_code == 200
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(f"{URL}?page_size=1000&department=59&q=asv").status_code == 200
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(f"{URL}{world.asv.uid}/").status_code == 200
    with django_assert_num_queries(LIST_QUERIES):
        body_of(client.get(f"{URL}?format=csv"))
    with django_assert_num_queries(LIST_QUERIES + 2):  # the communes' centres
        body_of(client.get(f"{URL}?format=geojson"))
