"""Citizen councils in the admin: the neighbourhood filter, the count of QPV without a council,
and the territory of a council (that of the neighbourhoods it covers)."""

from django.contrib.messages import get_messages
from django.urls import reverse

from neighbourhoods.models import CitizenCouncil, CitizenCouncilCoverage, Neighbourhood
from neighbourhoods.territory import scope_for
from tests.admin_forms import change_form_data
from tests.neighbourhoods.factories import CitizenCouncilFactory

NEIGHBOURHOODS = reverse("admin:neighbourhoods_neighbourhood_changelist")
COUNCILS = reverse("admin:neighbourhoods_citizencouncil_changelist")
ADD_COUNCIL = reverse("admin:neighbourhoods_citizencouncil_add")


def listed_codes(response) -> set[str]:
    return {n.code for n in response.context["cl"].result_list}


def test_the_neighbourhood_list_filters_on_citizen_council(client, world, persona):
    client.force_login(persona("admin"))

    without = listed_codes(client.get(NEIGHBOURHOODS, {"conseil_citoyen": "no"}))
    with_one = listed_codes(client.get(NEIGHBOURHOODS, {"conseil_citoyen": "yes"}))

    assert {"QN00216M", "QN00217M"} <= with_one  # Château-Thierry's councils
    assert "QN05971M" in without and "QN05971M" not in with_one
    assert not without & with_one
    assert not any(code.startswith("QV") for code in without)  # watch areas need none
    assert "Conseil citoyen" in client.get(NEIGHBOURHOODS).content.decode()


def test_a_coordinator_sees_how_many_qpv_of_their_territory_lack_a_council(client, world, persona):
    client.force_login(persona("coordinator_a"))

    response = client.get(COUNCILS)

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    # Valenciennes Métropole: 6 QPV in the demo, one covered by the test council.
    assert "5 quartiers prioritaires de votre territoire sans conseil citoyen" in messages[0]


def test_the_count_follows_the_coordinator_s_territory(client, world, persona):
    council = CitizenCouncilFactory(
        neighbourhoods=[Neighbourhood.objects.get(code="QN05971M")]
    )  # Lille, in the MEL
    client.force_login(persona("coordinator_b"))

    response = client.get(NEIGHBOURHOODS)

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "25 quartiers prioritaires de votre territoire sans conseil citoyen" in messages[0]
    assert council.pk


def test_a_council_belongs_to_the_territory_of_its_neighbourhoods(world, persona):
    blanchard_council = CitizenCouncil.objects.get(neighbourhoods__code="QN00216M")
    valenciennes_council = CitizenCouncil.objects.get(name="Conseil citoyen de Valenciennes (test)")
    empty = CitizenCouncilFactory()

    theirs = scope_for(persona("coordinator_a"), CitizenCouncil.objects.all())

    assert valenciennes_council in theirs
    assert blanchard_council not in theirs
    assert empty in theirs  # covering nothing yet, it belongs to no territory


def add_council_data(client, neighbourhood) -> dict:
    data = change_form_data(client.get(ADD_COUNCIL))
    data.update(
        {
            "name": "Conseil citoyen de test",
            "coverages-TOTAL_FORMS": "1",
            "coverages-0-id": "",
            "coverages-0-neighbourhood": str(neighbourhood.pk),
        }
    )
    return data


def test_a_coordinator_creates_a_council_for_a_neighbourhood_of_their_territory(
    client, world, persona
):
    client.force_login(persona("coordinator_a"))
    neighbourhood = Neighbourhood.objects.get(code="QN05931M")  # Valenciennes

    response = client.post(ADD_COUNCIL, add_council_data(client, neighbourhood))

    assert response.status_code == 302, response.context["errors"]
    assert CitizenCouncil.objects.get(name="Conseil citoyen de test").coverages.count() == 1


def test_a_coordinator_cannot_cover_a_neighbourhood_of_another_territory(client, world, persona):
    client.force_login(persona("coordinator_a"))
    lille = Neighbourhood.objects.get(code="QN05971M")

    response = client.post(ADD_COUNCIL, add_council_data(client, lille))

    assert response.status_code == 200
    assert not CitizenCouncil.objects.filter(name="Conseil citoyen de test").exists()


def test_the_admin_refuses_a_second_council_for_a_neighbourhood(client, world, persona):
    client.force_login(persona("admin"))
    blanchard = Neighbourhood.objects.get(code="QN00216M")

    response = client.post(ADD_COUNCIL, add_council_data(client, blanchard))

    assert response.status_code == 200
    assert "Ce quartier a déjà un conseil citoyen" in response.content.decode()
    assert CitizenCouncilCoverage.objects.filter(neighbourhood=blanchard).count() == 1


def test_a_neighbourhood_page_says_whether_it_has_a_council(client, world, persona):
    client.force_login(persona("admin"))
    blanchard, lille = Neighbourhood.objects.filter(code__in=["QN00216M", "QN05971M"])

    def page(neighbourhood):
        url = reverse("admin:neighbourhoods_neighbourhood_change", args=[neighbourhood.pk])
        return client.get(url).content.decode()

    assert "Conseil citoyen de Blanchard (Château-Thierry)" in page(blanchard)
    assert "Aucun : la loi du 21 février 2014" in page(lille)
