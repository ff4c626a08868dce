"""What of a person may be published: the one way personal data leaves the back office.

A person's own email and phone and a mediator's eligibility facts (age, residence, employment
situation) are private. Public pages and the API show a contact only through
``public_contact``, and only what the person agreed to publish: their professional contact.
"""

from typing import TypedDict

from devices.models import MediatorPost, Person

# Never serialised, never rendered outside the admin.
PRIVATE_FIELDS: dict[type, tuple[str, ...]] = {
    Person: ("email", "phone"),
    MediatorPost: MediatorPost.ELIGIBILITY_FIELDS,
}


class PublicContact(TypedDict):
    name: str
    organisation: str
    email: str
    phone: str


def public_contact(person: Person) -> PublicContact | None:
    """The professional contact a person agreed to publish; None without their consent."""
    if not person.publish_professional_contact:
        return None
    return PublicContact(
        name=f"{person.first_name} {person.last_name}",
        organisation=str(person.organisation) if person.organisation_id else "",
        email=person.professional_email,
        phone=person.professional_phone,
    )
