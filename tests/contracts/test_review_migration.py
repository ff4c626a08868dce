"""Existing reviews become rounds: statuses mapped, rounds numbered, the five yes/no criteria
turned into the round's checklist answers, and publication following approval."""

import pytest

from tests.migrations import MigrationStepper

MIGRATION = ("contracts", "0005_review_data_to_rounds")


@pytest.fixture
def stepper(transactional_db):
    stepper = MigrationStepper()
    yield stepper
    stepper.latest()


def test_reviews_become_numbered_rounds_with_their_checklist(stepper):
    old = stepper.before(MIGRATION)
    user = old.get_model("portal", "User").objects.create(username="ars")
    contract_model = old.get_model("contracts", "CityContract")
    section_model = old.get_model("contracts", "HealthSection")
    reviewed, approved, untouched = (
        section_model.objects.create(
            contract=contract_model.objects.create(code=code, name=code, generation="2024-2030"),
            is_published=True,
        )
        for code in ("CN1", "CN2", "CN3")
    )
    review = old.get_model("contracts", "Review")
    review.objects.create(section=reviewed, reviewer=user, status="pending")
    review.objects.create(
        section=reviewed,
        reviewer=user,
        status="in_progress",
        diagnosis_shared=True,
        mental_health_considered=False,
    )
    review.objects.create(section=approved, reviewer=user, status="approved")

    new = stepper.after(MIGRATION)
    rounds = new.get_model("contracts", "Review").objects.filter(section_id=reviewed.pk)
    sections = new.get_model("contracts", "HealthSection").objects

    assert list(rounds.order_by("number").values_list("number", "status")) == [
        (1, "submitted"),
        (2, "in_review"),
    ]
    answers = dict(
        new.get_model("contracts", "ReviewAnswer")
        .objects.filter(review__section_id=reviewed.pk, review__number=2)
        .values_list("criterion", "answer")
    )
    assert answers == {
        "diagnosis_shared": True,
        "cls_articulated": None,
        "mental_health": False,
        "residents_involved": None,
        "prs_consistent": None,
    }
    assert sections.get(pk=reviewed.pk).review_status == "in_review"
    assert not sections.get(pk=reviewed.pk).is_published  # published by hand, never approved
    assert sections.get(pk=approved.pk).is_published
    assert sections.get(pk=untouched.pk).review_status == "draft"
