"""Emails sent at each step of the ARS review, each one also kept in the recipient's inbox."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from contracts.models import HealthSection, Review
from portal.enums import UserRole
from portal.models import InboxMessage, User


def coordinators_of(section: HealthSection) -> list[User]:
    """Active coordinators whose territory holds the section's contract."""
    contract = section.contract
    where = Q(pk__in=[])
    if contract.carrier_epci_id:
        where |= Q(epcis=contract.carrier_epci_id)
    if contract.carrier_commune_id:
        where |= Q(communes=contract.carrier_commune_id) | Q(
            epcis__communes=contract.carrier_commune_id
        )
    return list(
        User.objects.filter(where, role=UserRole.COORDINATOR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def reviewers_of(section: HealthSection) -> list[User]:
    """Active ARS reviewers whose region or departments hold the section (one query)."""
    department = section.contract.department
    if department is None:
        return []
    return list(
        User.objects.filter(
            Q(region_id=department.region_id) | Q(departments=department.pk),
            role=UserRole.ARS_REVIEWER,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def notify(*, recipients: Iterable[User], subject: str, body: str, link: str = "") -> None:
    """One inbox message per recipient now; the emails once the transaction is committed."""
    recipients = list({user.pk: user for user in recipients}.values())
    InboxMessage.objects.bulk_create(
        InboxMessage(recipient=user, subject=subject, body=body, link=link) for user in recipients
    )
    addresses = [user.email for user in recipients if user.email]
    if not addresses:
        return
    text = f"{body}\n\n{settings.PORTAL_BASE_URL}{link}" if link else body

    def send() -> None:
        for address in addresses:
            send_mail(subject, text, None, [address])

    transaction.on_commit(send)


def review_link(review: Review) -> str:
    return reverse("admin:contracts_review_change", args=[review.pk])


def section_link(section: HealthSection) -> str:
    return reverse("admin:contracts_healthsection_change", args=[section.pk])
