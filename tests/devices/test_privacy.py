"""Personal data: only a professional contact the person agreed to publish may leave the
back office."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from devices.models import MediatorPost, Person
from devices.privacy import PRIVATE_FIELDS, public_contact
from tests.devices.factories import OrganisationFactory, PersonFactory
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


def test_a_person_who_did_not_agree_has_no_public_contact():
    person = PersonFactory(
        email="moi@example.org", phone="0600000000", professional_email="pro@example.org"
    )

    assert public_contact(person) is None


def test_a_public_contact_is_the_professional_one_only():
    person = PersonFactory(
        organisation=OrganisationFactory(name="CCAS de Tourcoing"),
        email="moi@example.org",
        phone="0600000000",
        professional_email="asv@example.org",
        professional_phone="0320000000",
        publish_professional_contact=True,
    )

    contact = public_contact(person)

    assert contact == {
        "name": f"{person.first_name} {person.last_name}",
        "organisation": "CCAS de Tourcoing",
        "email": "asv@example.org",
        "phone": "0320000000",
    }
    assert "moi@example.org" not in contact.values()
    assert "0600000000" not in contact.values()


def test_publishing_needs_a_professional_contact():
    person = PersonFactory.build(email="moi@example.org", publish_professional_contact=True)

    assert_invalid(person, "contact professionnel")
    assert_database_rejects(person)


def test_private_fields_are_named_and_exist():
    assert PRIVATE_FIELDS[Person] == ("email", "phone")
    assert set(PRIVATE_FIELDS[MediatorPost]) == {
        "over_30",
        "lives_in_qpv",
        "job_seeker_or_insertion",
    }
    for model, names in PRIVATE_FIELDS.items():
        for name in names:
            model._meta.get_field(name)


def public_sources():
    """Templates of public pages and the API's modules: where a private field must not appear."""
    root = Path(settings.BASE_DIR)
    templates = [
        path
        for path in (root / "templates").rglob("*.html")
        if "admin" not in path.relative_to(root / "templates").parts
    ]
    public_modules = (
        "api*.py",
        "serializers*.py",
        "*views.py",
        "*filters.py",
        "pages*.py",
        "lists.py",
        "search.py",
        "geojson.py",
        "directory*.py",
        "gaps*.py",
        "partnership*.py",
        "open_data*.py",
    )
    code = {
        path
        for app in ("portal", "devices", "contracts", "neighbourhoods")
        for pattern in public_modules
        for path in (root / app).glob(pattern)
    } | set((root / "portal" / "api").rglob("*.py"))
    return templates + sorted(code)


# The eligibility facts anywhere; email and phone when read from a person (other models, such
# as an organisation or a citizen council, may publish theirs).
PRIVATE_NAME = re.compile(
    r"\b(" + "|".join(PRIVATE_FIELDS[MediatorPost]) + r")\b"
    r"|\b(?:person|people|mediator|coordinator|member|role)\w*\.(?:person\.)?(?:email|phone)\b"
)


def test_public_pages_and_the_api_never_name_a_private_field():
    # A later page or serializer shows a contact through devices.privacy.public_contact.
    leaks = [
        f"{path}: {match.group(0)}"
        for path in public_sources()
        for match in PRIVATE_NAME.finditer(path.read_text(encoding="utf-8"))
    ]

    assert public_sources() and leaks == []
