"""Change pages cost the same number of queries with 5 inline rows as with 50, and at most 25.

Measured for the Valenciennes coordinator (5 rows, 50 rows) before the territory policy and the
inline fixes: section 33/78, scheme 116/611, neighbourhood 16/61, action 43/133, person 29/209,
city contract 16/61; after: 15, 20, 11, 13, 10, 11 whatever the number of rows.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import ActionFunding, Signatory
from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    SchemeLink,
    SchemeSignatory,
)
from portal.models import User
from tests.contracts.factories import (
    ActionFactory,
    CallForProjectsFactory,
    CityContractFactory,
    EvaluationFactory,
    HealthDiagnosisFactory,
    HealthSectionFactory,
    ObjectiveFactory,
    ProposalFactory,
)
from tests.devices.factories import (
    MediatorPostFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.neighbourhoods.factories import (
    CitizenCouncilFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    NeighbourhoodFactory,
)

MAX_QUERIES = 25


def section_with_objectives(world, n):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    root = ObjectiveFactory(section=section, number="1", level=1)
    for i in range(1, n):
        ObjectiveFactory(section=section, number=f"1.{i}", level=2, parent=root)
    return section


def scheme_with_mediator_posts(world, n):
    scheme = SchemeFactory(arms=True, carrier=OrganisationFactory(ccas=True))
    commune = world.valenciennes.communes.order_by("pk").first()
    scheme.communes.set([commune])
    neighbourhood = NeighbourhoodFactory(epci=world.valenciennes, communes=[commune])
    for i in range(n):
        post = MediatorPostFactory(
            scheme=scheme,
            mediator=PersonFactory(),
            start_date=datetime.date(2016, 1, 1) + datetime.timedelta(days=i),
        )
        post.neighbourhoods.set([neighbourhood])
        RoleFactory(scheme=scheme, organisation=post.employer)
        Funding.objects.create(
            scheme=scheme, funder=post.employer, year=2000 + i, programme="p147", amount=1
        )
    return scheme


def neighbourhood_with_indicator_values(world, n):
    neighbourhood = NeighbourhoodFactory(epci=world.valenciennes)
    for i in range(n):
        indicator = IndicatorFactory(code=f"q{i}", label=f"Indicateur {i}")
        IndicatorValueFactory(neighbourhood=neighbourhood, indicator=indicator)
    return neighbourhood


def action_with_fundings(world, n):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    action = ActionFactory(objective=ObjectiveFactory(section=section))
    for i in range(n):
        ActionFunding.objects.create(
            action=action, funder=OrganisationFactory(), year=2000 + i, programme="p147", amount=1
        )
    return action


def person_with_roles(world, n):
    person = PersonFactory(organisation=OrganisationFactory())
    commune = world.valenciennes.communes.order_by("pk").first()
    for _ in range(n):
        scheme = SchemeFactory()
        scheme.communes.set([commune])
        RoleFactory(person=person, scheme=scheme, organisation=OrganisationFactory())
    return person


def contract_with_signatories(world, n):
    contract = CityContractFactory(carrier_epci=world.valenciennes)
    for _ in range(n):
        Signatory.objects.create(contract=contract, organisation=OrganisationFactory(), role="epci")
    return contract


def call_with_proposals(world, n):
    call = CallForProjectsFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    for _ in range(n):
        ProposalFactory(call=call)
    return call


def section_with_diagnoses_and_evaluations(world, n):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    for _ in range(n):
        diagnosis = HealthDiagnosisFactory(section=section)
        diagnosis.co_author_organisations.set([OrganisationFactory(kind="ars")])
        diagnosis.co_author_schemes.set([SchemeFactory()])
        EvaluationFactory(section=section).evaluators.set([OrganisationFactory()])
    return section


def citizen_council_with_neighbourhoods(world, n):
    commune = world.valenciennes.communes.order_by("pk").first()
    neighbourhoods = [
        NeighbourhoodFactory(
            code=f"QNCC{n:02d}{i:02d}", epci=world.valenciennes, communes=[commune]
        )
        for i in range(n)
    ]
    return CitizenCouncilFactory(neighbourhoods=neighbourhoods)


def _own(world, **fields):
    scheme = SchemeFactory(**fields)
    scheme.communes.set([world.valenciennes.communes.order_by("pk").first()])
    return scheme


def clsm_with_links_and_signatories(world, n):
    """A CLSM funded by the ARS: its links both ways and the signatory rule on one page."""
    clsm = _own(world, clsm=True, reference_hospital=OrganisationFactory(hospital=True))
    for i in range(n):
        ars = OrganisationFactory(kind="ars")
        Funding.objects.create(
            scheme=clsm, funder=ars, year=2000 + i, programme="ars_fir", amount=1
        )
        SchemeSignatory.objects.create(scheme=clsm, organisation=ars, role="ars")
        SchemeLink.objects.create(
            source=clsm, target=_own(world, cls_contract=True), kind="component_of"
        )
        SchemeLink.objects.create(source=_own(world), target=clsm, kind="coordinated_with")
        GovernanceBody.objects.create(scheme=_own(world, cls_contract=True), kind="steering")
    return clsm


def governance_body_with_members(world, n):
    body = GovernanceBody.objects.create(scheme=_own(world, cls_contract=True), kind="steering")
    for i in range(n):
        GovernanceMember.objects.create(
            body=body, role=RoleFactory(scheme=body.scheme, organisation=OrganisationFactory())
        )
        GovernanceMember.objects.create(body=body, organisation=OrganisationFactory())
        GovernanceMeeting.objects.create(
            body=body, held_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=i)
        )
    return body


def review_with_comments(world, n):
    """A round of a Valenciennes section with n comments, half of them replies on an action."""
    from contracts.review_services import health_section_submit, review_comment_post

    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    action = ActionFactory(objective=ObjectiveFactory(section=section))
    coordinator = User.objects.get(username="coordination")
    review = health_section_submit(section=section, user=coordinator)
    parent = None
    for i in range(n):
        parent = review_comment_post(
            review=review,
            author=coordinator,
            body=f"Commentaire {i}",
            action=action if parent is None else None,
            parent=parent if i % 2 else None,
        )
    return review


PAGES = [
    clsm_with_links_and_signatories,
    governance_body_with_members,
    section_with_objectives,
    scheme_with_mediator_posts,
    neighbourhood_with_indicator_values,
    action_with_fundings,
    person_with_roles,
    contract_with_signatories,
    call_with_proposals,
    section_with_diagnoses_and_evaluations,
    citizen_council_with_neighbourhoods,
    review_with_comments,
]


def count_queries(client, obj) -> int:
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("build", PAGES, ids=lambda build: build.__name__)
def test_change_pages_do_not_grow_with_their_inline_rows(client, world, persona, build):
    small, large = build(world, 5), build(world, 50)
    client.force_login(persona("coordinator_a"))
    count_queries(client, small)  # content types and other process-wide caches

    counts = count_queries(client, small), count_queries(client, large)

    assert counts[0] == counts[1] <= MAX_QUERIES, counts
