"""Reminders (issue 8): computed once a day, addressed to the coordinators of the row's
territory, stored idempotently, read in one query. Fixed dates, no sleeping."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from contracts.enums import ReviewStatus
from contracts.models import Review
from devices.enums import SchemeStatus
from portal.enums import ReminderKind
from portal.models import Reminder
from portal.reminders import months_later, reminders_for, reminders_refresh
from tests.contracts.factories import CityContractFactory, HealthSectionFactory
from tests.devices.factories import MediatorPostFactory, SchemeFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


def scheme_in(epci, **kwargs):
    scheme = SchemeFactory(**kwargs)
    scheme.communes.set([epci.communes.order_by("pk").first()])
    return scheme


def post_in(epci, **kwargs):
    return MediatorPostFactory(scheme=scheme_in(epci, arms=True), **kwargs)


def reminded(user, kind, row) -> bool:
    return Reminder.objects.filter(
        recipient=user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(row),
        object_id=row.pk,
    ).exists()


def test_six_months_later_keeps_to_the_end_of_short_months():
    assert months_later(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert months_later(datetime.date(2026, 3, 2), -12) == datetime.date(2025, 3, 2)


def test_a_post_ending_within_six_months_reminds_the_coordinators_of_its_territory(world, persona):
    soon = post_in(
        world.valenciennes,
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2026, 8, 31),
    )
    later = post_in(
        world.valenciennes, start_date=datetime.date(2023, 9, 1), end_date=datetime.date(2026, 9, 3)
    )

    reminders_refresh(today=TODAY)

    assert reminded(persona("coordinator_a"), ReminderKind.POST_ENDING, soon)
    assert not reminded(persona("coordinator_b"), ReminderKind.POST_ENDING, soon)
    assert not reminded(persona("coordinator_a"), ReminderKind.POST_ENDING, later)


def test_a_post_renewed_once_reminds_that_no_renewal_is_left(world, persona):
    renewed = post_in(
        world.valenciennes,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        renewals=1,
    )
    first_term = post_in(
        world.valenciennes,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )

    reminders_refresh(today=TODAY)

    assert reminded(persona("coordinator_a"), ReminderKind.POST_RENEWED_ONCE, renewed)
    assert not reminded(persona("coordinator_a"), ReminderKind.POST_RENEWED_ONCE, first_term)


def test_a_cls_past_its_end_date_reminds_unless_declared_ended(world, persona):
    expired = scheme_in(world.mel, cls_contract=True, end_date=datetime.date(2026, 3, 1))
    ended = scheme_in(
        world.mel,
        cls_contract=True,
        end_date=datetime.date(2025, 12, 31),
        status=SchemeStatus.ENDED,
    )
    running = scheme_in(world.mel, cls_contract=True, end_date=datetime.date(2026, 3, 2))

    reminders_refresh(today=TODAY)

    coordinator = persona("coordinator_b")
    assert reminded(coordinator, ReminderKind.CLS_EXPIRED, expired)
    assert not reminded(persona("coordinator_a"), ReminderKind.CLS_EXPIRED, expired)
    assert not reminded(coordinator, ReminderKind.CLS_EXPIRED, ended)
    assert not reminded(coordinator, ReminderKind.CLS_EXPIRED, running)


def section_reviewed_on(world, persona, day, status=ReviewStatus.SUBMITTED):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    with at(day):
        Review.objects.create(section=section, reviewer=persona("ars"), status=status)
    return section


def test_a_section_submitted_and_untouched_for_30_days_reminds(world, persona):
    stalled = section_reviewed_on(world, persona, TODAY - datetime.timedelta(days=31))
    recent = section_reviewed_on(world, persona, TODAY - datetime.timedelta(days=29))
    approved = section_reviewed_on(
        world, persona, TODAY - datetime.timedelta(days=60), ReviewStatus.APPROVED
    )

    reminders_refresh(today=TODAY)

    coordinator = persona("coordinator_a")
    assert reminded(coordinator, ReminderKind.SECTION_STALLED, stalled)
    assert not reminded(coordinator, ReminderKind.SECTION_STALLED, recent)
    assert not reminded(coordinator, ReminderKind.SECTION_STALLED, approved)


def test_a_record_unchanged_for_twelve_months_reminds(world, persona):
    with at(datetime.date(2025, 3, 1)):
        old = scheme_in(world.valenciennes)
    with at(datetime.date(2025, 3, 1)):
        touched = scheme_in(world.valenciennes)
    with at(datetime.date(2025, 6, 1)):
        touched.name = "Territoire révisé"
        touched.save()

    reminders_refresh(today=TODAY)

    coordinator = persona("coordinator_a")
    assert reminded(coordinator, ReminderKind.RECORD_STALE, old)
    assert not reminded(coordinator, ReminderKind.RECORD_STALE, touched)


def test_running_twice_changes_nothing_and_lifted_reminders_go(world, persona):
    post = post_in(
        world.valenciennes,
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2026, 5, 31),
    )
    reminders_refresh(today=TODAY)
    before = set(Reminder.objects.values_list("pk", "kind", "object_id", "recipient_id"))

    again = reminders_refresh(today=TODAY)

    assert again.created == 0 and again.deleted == 0
    assert set(Reminder.objects.values_list("pk", "kind", "object_id", "recipient_id")) == before

    post.end_date = datetime.date(2027, 5, 31)
    post.save()
    reminders_refresh(today=TODAY)
    assert not reminded(persona("coordinator_a"), ReminderKind.POST_ENDING, post)


def test_the_command_prints_a_french_summary(world):
    post_in(
        world.valenciennes,
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2026, 5, 31),
    )
    out = StringIO()

    call_command("reminders", "--date", TODAY.isoformat(), stdout=out)

    text = out.getvalue()
    assert "Rappels du jour" in text
    assert "Poste d'adulte-relais se terminant dans les 6 mois : " in text
    assert "ajouté(s)" in text and "coordinateur·rice(s)" in text


def test_reminders_for_reads_a_users_reminders_in_one_query(
    world, persona, django_assert_num_queries
):
    for month in (4, 5, 6):
        post_in(
            world.valenciennes,
            start_date=datetime.date(2023, 9, 1),
            end_date=datetime.date(2026, month, 30),
        )
    scheme_in(world.mel, cls_contract=True, end_date=datetime.date(2026, 1, 1))
    reminders_refresh(today=TODAY)
    coordinator = persona("coordinator_a")

    with django_assert_num_queries(1):
        mine = [(r.kind, r.content_type.model, r.message) for r in reminders_for(coordinator)]

    assert len([m for m in mine if m[0] == ReminderKind.POST_ENDING]) >= 3
    assert all(r.recipient_id == coordinator.pk for r in reminders_for(coordinator))
    assert not any(kind == ReminderKind.CLS_EXPIRED and "Territoire" in m for kind, _, m in mine)
