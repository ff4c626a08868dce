"""Participation aimed at and reached (Arnstein's ladder), per section and per scheme."""

import pytest
from django.urls import reverse

from contracts.selectors import scheme_participation, section_participation
from tests.contracts.factories import ActionFactory, HealthSectionFactory, ObjectiveFactory
from tests.devices.factories import SchemeFactory
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


def counts(summary) -> dict[str, tuple[int, int]]:
    return {line.label: (line.aimed, line.reached) for line in summary.lines}


@pytest.mark.parametrize("field", ["participation_aimed", "participation_reached"])
def test_a_participation_level_is_a_rung_of_arnsteins_ladder(field):
    action = ActionFactory()
    setattr(action, field, 9)

    assert_invalid(action, "n’est pas un choix valide")
    assert_database_rejects(action)


def test_the_section_summary_counts_aimed_and_reached_levels_in_one_query(
    django_assert_num_queries,
):
    section = HealthSectionFactory()
    objective = ObjectiveFactory(section=section)
    ActionFactory(objective=objective, participation_aimed=6, participation_reached=4)
    ActionFactory(objective=objective, participation_aimed=4, participation_reached=4)
    ActionFactory(objective=objective, participation_aimed=3)
    ActionFactory(participation_aimed=8)  # another section

    with django_assert_num_queries(1):
        summary = section_participation(section)

    assert summary.actions == 3
    assert summary.below_aim == 1
    assert counts(summary)["6 – Partenariat"] == (1, 0)
    assert counts(summary)["4 – Consultation"] == (1, 2)
    assert counts(summary)["3 – Information"] == (1, 0)
    assert counts(summary)["Non renseigné"] == (0, 1)
    assert counts(summary)["8 – Contrôle citoyen"] == (0, 0)


def test_the_scheme_summary_counts_the_actions_mobilising_it_in_one_query(
    django_assert_num_queries,
):
    scheme, other = SchemeFactory(), SchemeFactory()
    for aimed, reached, schemes in ((5, 5, [scheme, other]), (6, 3, [scheme]), (2, 2, [other])):
        ActionFactory(participation_aimed=aimed, participation_reached=reached).schemes.set(schemes)

    with django_assert_num_queries(1):
        summary = scheme_participation(scheme)

    assert (summary.actions, summary.below_aim) == (2, 1)
    assert counts(summary)["5 – Implication (réassurance)"] == (1, 1)
    assert counts(summary)["6 – Partenariat"] == (1, 0)
    assert counts(summary)["3 – Information"] == (0, 1)


def test_the_section_page_shows_the_summary_read_only(admin_client):
    section = HealthSectionFactory()
    ActionFactory(
        objective=ObjectiveFactory(section=section), participation_aimed=6, participation_reached=4
    )

    html = admin_client.get(
        reverse("admin:contracts_healthsection_change", args=[section.pk])
    ).content.decode()

    assert 'class="participation-summary"' in html
    assert "1 action(s), dont 1 en deçà du niveau visé." in html
    assert 'name="participation"' not in html
