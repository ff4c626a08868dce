"""The frozen snapshot of a submitted section and the difference between two rounds."""

import pytest

from contracts.models import Action, ActionFunding, Objective
from contracts.review_selectors import round_diff
from contracts.review_services import (
    health_section_submit,
    review_request_changes,
    review_take,
)
from contracts.review_snapshot import section_snapshot, snapshot_diff
from tests.contracts.factories import ActionFactory, ObjectiveFactory
from tests.contracts.review_world import review_world
from tests.devices.factories import OrganisationFactory


@pytest.fixture
def world(db):
    return review_world()


def test_the_snapshot_lists_the_tree_in_order_with_actions_under_their_objective(world):
    section = world.section
    orientation = Objective.objects.get(section=section, number="1")
    second = ObjectiveFactory(section=section, number="2", level=1, title="Prévention")
    ObjectiveFactory(section=section, parent=orientation, number="1.1", level=2, title="Bus")
    ActionFactory(objective=second, title="Ateliers nutrition")

    nodes = section_snapshot(section)["nodes"]

    assert [(n["kind"], n["depth"], n["label"]) for n in nodes] == [
        ("objective", 0, "1 Accès aux soins"),
        ("action", 1, "Bus santé"),
        ("objective", 1, "1.1 Bus"),
        ("objective", 0, "2 Prévention"),
        ("action", 1, "Ateliers nutrition"),
    ]


def test_the_snapshot_freezes_fundings_schemes_and_neighbourhoods(world):
    action = Action.objects.get(title="Bus santé")
    ActionFunding.objects.create(
        action=action,
        funder=OrganisationFactory(name="ARS"),
        year=2024,
        programme="fir",
        amount=5000,
    )

    fields = section_snapshot(world.section)["nodes"][1]["fields"]

    assert "2024" in fields["financements"] and "5000" in fields["financements"]
    assert "quartiers" in fields and "dispositifs" in fields


def test_a_submission_keeps_its_snapshot_when_the_section_changes_afterwards(world):
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    Action.objects.filter(title="Bus santé").update(title="Bus santé itinérant")

    review.refresh_from_db()
    assert review.snapshot["nodes"][1]["label"] == "Bus santé"


def test_the_diff_marks_added_removed_and_changed_nodes_in_tree_order():
    before = {
        "section": {"intitulé": "Volet"},
        "nodes": [
            {"key": "objective:1", "kind": "objective", "depth": 0, "label": "1 A",
             "fields": {"intitulé": "A"}},
            {"key": "action:1", "kind": "action", "depth": 1, "label": "Bus",
             "fields": {"intitulé": "Bus", "statut": "Prévue"}},
            {"key": "action:2", "kind": "action", "depth": 1, "label": "Vieux",
             "fields": {"intitulé": "Vieux"}},
            {"key": "objective:2", "kind": "objective", "depth": 0, "label": "2 B",
             "fields": {"intitulé": "B"}},
        ],
    }  # fmt: skip
    after = {
        "section": {"intitulé": "Volet santé"},
        "nodes": [
            {"key": "objective:1", "kind": "objective", "depth": 0, "label": "1 A",
             "fields": {"intitulé": "A"}},
            {"key": "action:1", "kind": "action", "depth": 1, "label": "Bus",
             "fields": {"intitulé": "Bus", "statut": "En cours"}},
            {"key": "objective:2", "kind": "objective", "depth": 0, "label": "2 B",
             "fields": {"intitulé": "B"}},
            {"key": "action:3", "kind": "action", "depth": 1, "label": "Neuf",
             "fields": {"intitulé": "Neuf"}},
        ],
    }  # fmt: skip

    lines = snapshot_diff(before, after)

    assert [(line.status, line.label) for line in lines] == [
        ("changed", "Volet santé"),
        ("unchanged", "1 A"),
        ("changed", "Bus"),
        ("removed", "Vieux"),
        ("unchanged", "2 B"),
        ("added", "Neuf"),
    ]
    assert lines[0].changes == [("intitulé", "Volet", "Volet santé")]
    assert lines[2].changes == [("statut", "Prévue", "En cours")]


def test_a_node_removed_first_comes_first():
    node = {"kind": "objective", "depth": 0, "fields": {}}
    before = {"nodes": [{**node, "key": "o:1", "label": "1"}, {**node, "key": "o:2", "label": "2"}]}
    after = {"nodes": [{**node, "key": "o:2", "label": "2"}]}

    assert [(line.status, line.label) for line in snapshot_diff(before, after)[1:]] == [
        ("removed", "1"),
        ("unchanged", "2"),
    ]


def test_the_round_diff_compares_with_the_previous_round(world):
    first = health_section_submit(section=world.section, user=world["coordinator_a"])
    review_take(review=first, user=world["ars_region"])
    review_request_changes(review=first, user=world["ars_region"])
    Action.objects.filter(title="Bus santé").update(title="Bus santé itinérant")
    second = health_section_submit(section=world.section, user=world["coordinator_a"])

    diff = round_diff(second)

    assert diff.previous == first
    changed = [line for line in diff.lines if line.status == "changed"]
    assert [line.label for line in changed] == ["Bus santé itinérant"]
    assert ("intitulé", "Bus santé", "Bus santé itinérant") in changed[0].changes


def test_the_first_round_shows_everything_as_added(world):
    first = health_section_submit(section=world.section, user=world["coordinator_a"])

    diff = round_diff(first)

    assert diff.previous is None
    assert {line.status for line in diff.lines[1:]} == {"added"}
