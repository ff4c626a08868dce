"""The sources tell financing the coordination (animation) apart from financing the actions."""

import pytest

from contracts.models import ActionFunding
from devices.models import Funding
from tests.contracts.factories import ActionFactory
from tests.devices.factories import OrganisationFactory, SchemeFactory
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


def funding(**fields):
    return Funding(
        scheme=SchemeFactory(),
        funder=OrganisationFactory(),
        year=2016,
        programme="p147",
        amount=1,
        **fields,
    )


def test_a_scheme_funding_pays_the_coordination_unless_said_otherwise():
    assert funding().purpose == "coordination"


def test_an_action_funding_pays_the_action_unless_said_otherwise():
    line = ActionFunding(action=ActionFactory(), funder=OrganisationFactory(), year=2016)

    assert line.purpose == "actions"


UNKNOWN = [("", "ne peut pas être vide"), ("loisirs", "n’est pas un choix valide")]


@pytest.mark.parametrize(("purpose", "message"), UNKNOWN)
def test_a_funding_line_says_what_it_pays(purpose, message):
    line = funding(purpose=purpose)

    assert_invalid(line, message)
    assert_database_rejects(line)


@pytest.mark.parametrize(("purpose", "message"), UNKNOWN)
def test_an_action_funding_line_says_what_it_pays(purpose, message):
    line = ActionFunding(
        action=ActionFactory(),
        funder=OrganisationFactory(),
        year=2016,
        programme="p147",
        amount=1,
        purpose=purpose,
    )

    assert_invalid(line, message)
    assert_database_rejects(line)
