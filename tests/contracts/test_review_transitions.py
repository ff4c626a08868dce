"""Every step of the ARS review, legal and illegal, for each persona of the review."""

import pytest
from django.core.exceptions import ValidationError

from contracts.enums import ReviewStatus
from contracts.models import HealthSection
from contracts.review_services import (
    ReviewRefused,
    health_section_submit,
    review_approve,
    review_reopen,
    review_request_changes,
    review_take,
)
from tests.contracts.review_world import PERSONAS, review_world

S = ReviewStatus


def submit(section, user, review):
    return health_section_submit(section=section, user=user)


def take(section, user, review):
    return review_take(review=review, user=user)


def request_changes(section, user, review):
    return review_request_changes(review=review, user=user)


def approve(section, user, review):
    return review_approve(review=review, user=user)


def reopen(section, user, review):
    return review_reopen(review=review, user=user, reason="Financements 2025 à corriger.")


STEPS = {
    "submit": submit,
    "take": take,
    "request_changes": request_changes,
    "approve": approve,
    "reopen": reopen,
}

# step: (the state it starts from, the state it leads to, who may take it)
COORDINATION = {"coordinator_a", "admin"}
ARS = {"ars_region", "admin"}
LEGAL = [
    ("submit", S.DRAFT, S.SUBMITTED, COORDINATION),
    ("submit", S.CHANGES_REQUESTED, S.RESUBMITTED, COORDINATION),
    ("take", S.SUBMITTED, S.IN_REVIEW, ARS),
    ("take", S.RESUBMITTED, S.IN_REVIEW, ARS),
    ("request_changes", S.IN_REVIEW, S.CHANGES_REQUESTED, ARS),
    ("approve", S.IN_REVIEW, S.APPROVED, ARS),
    ("reopen", S.APPROVED, S.CHANGES_REQUESTED, ARS),
]

# How the administrator brings a section to each state.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.IN_REVIEW: ["submit", "take"],
    S.CHANGES_REQUESTED: ["submit", "take", "request_changes"],
    S.RESUBMITTED: ["submit", "take", "request_changes", "submit"],
    S.APPROVED: ["submit", "take", "approve"],
}


@pytest.fixture
def world(db):
    return review_world()


def bring(world, state):
    section = world.section
    review = None
    for step in PATHS[state]:
        review = STEPS[step](section, world["admin"], review)
    section.refresh_from_db()
    assert section.review_status == state
    return review


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("step", "start", "end", "allowed"), LEGAL)
def test_each_step_is_taken_by_its_people_only(world, persona, step, start, end, allowed):
    review = bring(world, start)
    section = world.section

    if persona in allowed:
        STEPS[step](section, world[persona], review)
        section.refresh_from_db()
        assert section.review_status == end
    else:
        with pytest.raises(ReviewRefused):
            STEPS[step](section, world[persona], review)
        section.refresh_from_db()
        assert section.review_status == start


ILLEGAL = [
    (step, state)
    for step in STEPS
    for state in PATHS
    if not any(step == s and state == start for s, start, _end, _who in LEGAL)
]


@pytest.mark.parametrize(("step", "state"), ILLEGAL)
@pytest.mark.parametrize("persona", ["admin", "coordinator_a", "ars_region"])
def test_an_illegal_step_is_refused_in_french_and_changes_nothing(world, step, state, persona):
    review = bring(world, state)
    if review is None:  # a draft has no round yet: steps of the ARS need one
        review = bring(world, S.SUBMITTED)
        HealthSection.objects.filter(pk=world.section.pk).update(review_status=S.DRAFT)
        state = S.DRAFT
    is_their_step = (step == "submit") == (persona in COORDINATION) or persona == "admin"

    with pytest.raises((ValidationError, ReviewRefused)) as refused:
        STEPS[step](world.section, world[persona], review)

    if is_their_step:
        assert refused.type is ValidationError
        assert refused.value.messages[0].startswith("Impossible de")
    world.section.refresh_from_db()
    assert world.section.review_status == state


def test_each_submission_opens_a_numbered_round_with_a_blank_checklist(world):
    first = bring(world, S.CHANGES_REQUESTED)
    second = health_section_submit(section=world.section, user=world["coordinator_a"])

    assert (first.number, second.number) == (1, 2)
    assert second.status == S.RESUBMITTED and second.submitted_by == world["coordinator_a"]
    assert sorted(second.answers.values_list("criterion", flat=True)) == sorted(
        [
            "cls_articulated",
            "diagnosis_shared",
            "mental_health",
            "prs_consistent",
            "residents_involved",
        ]
    )
    assert not second.answers.exclude(answer=None).exists()


def test_a_step_on_an_earlier_round_is_refused(world):
    first = bring(world, S.CHANGES_REQUESTED)
    health_section_submit(section=world.section, user=world["coordinator_a"])

    with pytest.raises(ValidationError, match="n'est plus le dernier"):
        review_take(review=first, user=world["ars_region"])


def test_taking_a_round_makes_the_reviewer_its_reviewer(world):
    review = bring(world, S.SUBMITTED)

    review_take(review=review, user=world["ars_region"])

    review.refresh_from_db()
    assert review.reviewer == world["ars_region"] and review.status == S.IN_REVIEW


def test_reopening_needs_a_reason(world):
    review = bring(world, S.APPROVED)

    with pytest.raises(ValidationError, match="motif"):
        review_reopen(review=review, user=world["ars_region"], reason="  ")

    world.section.refresh_from_db()
    assert world.section.review_status == S.APPROVED


def test_an_ars_reviewer_of_a_department_reviews_that_department(world):
    from portal.accounts import account_create
    from portal.enums import UserRole

    nord_only = account_create(
        username="ars-59",
        password="demo",
        role=UserRole.ARS_REVIEWER,
        departments=[world.section.contract.department],
    )
    review = bring(world, S.SUBMITTED)

    review_take(review=review, user=nord_only)

    world.section.refresh_from_db()
    assert world.section.review_status == S.IN_REVIEW


def test_an_ars_reviewer_without_region_nor_department_reviews_nothing(world):
    from portal.accounts import account_create
    from portal.enums import UserRole

    nowhere = account_create(username="ars-0", password="demo", role=UserRole.ARS_REVIEWER)
    review = bring(world, S.SUBMITTED)

    with pytest.raises(ReviewRefused):
        review_take(review=review, user=nowhere)
