"""Only published content is public (issue 9, « Rules »): a world with published content and a
unique marker in everything that must stay private, crawled as an anonymous visitor from the
home page, every public address and the API root, following every same-site link found. No
marker may appear in any response, and no address may answer a server error.

The crawl follows links: pages merged later are covered without touching this test.
"""

import gzip
import io
import json
import re
import zipfile
from collections import deque
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.views import APIView

from contracts.enums import ReviewCriterion
from contracts.models import Action
from contracts.review_services import (
    health_section_submit,
    review_answer_set,
    review_approve,
    review_comment_post,
    review_reopen,
    review_take,
)
from tests.contracts.factories import (
    ActionFactory,
    CallForProjectsFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
)
from tests.contracts.review_world import review_world
from tests.devices.factories import (
    HealthStructureFactory,
    MediatorPostFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SchemeFactory,
)
from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory

MAX_RESPONSES = 400
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/__debug__/")

# Unique texts of everything that must never be public. ASCII, no markup: found as they are in
# HTML, JSON (escaped or not), CSV and XLSX, whatever the case a template gives them.
MARKERS = {
    "draft_section_orientation": "zqleak-orientation-brouillon",
    "draft_objective": "zqleak-objectif-brouillon",
    "draft_action": "zqleak-action-brouillon",
    "next_round_action": "zqleak-tour-suivant",
    "review_comment": "zqleak-commentaire-relecture",
    "review_reply": "zqleak-reponse-coordination",
    "review_answer_remark": "zqleak-remarque-grille",
    "reopen_reason": "zqleak-motif-reouverture",
    "unpublished_scheme": "zqleak-dispositif-non-publie",
    "unpublished_structure": "zqleak-structure-non-publiee",
    "unpublished_call": "zqleak-appel-non-publie",
    "private_email": "zqleak.prive@exemple.invalid",
    "private_phone": "07 31 59 26 53",
    "private_phone_digits": "0731592653",
    "mediator_private_email": "zqleak.mediation@exemple.invalid",
    # A mediator's eligibility is three booleans: their names and labels are the markers.
    "eligibility_over_30": "over_30",
    "eligibility_lives_in_qpv": "lives_in_qpv",
    "eligibility_job_seeker": "job_seeker_or_insertion",
    "eligibility_label": "(attesté)",
}
# Published texts: the crawl must be able to show them (checked when their pages exist).
PUBLISHED = {
    "scheme": "Atelier santé ville publié",
    "professional_email": "coordination.asv@exemple.fr",
}


def leak_world() -> dict:
    world = review_world()
    coordinator, ars = world["coordinator_a"], world["ars_region"]
    section = world.section
    contract = section.contract
    epci = contract.carrier_epci
    commune = CommuneFactory(epci=epci)
    neighbourhood = NeighbourhoodFactory(epci=epci, communes=[commune])
    NeighbourhoodFactory(geography_2015=True, epci=epci, communes=[commune])
    contract.neighbourhoods.add(neighbourhood)

    # A round approved (published), with the reviewers' private exchange.
    review = health_section_submit(section=section, user=coordinator)
    review = review_take(review=review, user=ars)
    review_answer_set(
        review=review,
        user=ars,
        criterion=ReviewCriterion.DIAGNOSIS_SHARED,
        answer=False,
        remark=MARKERS["review_answer_remark"],
    )
    comment = review_comment_post(review=review, author=ars, body=MARKERS["review_comment"])
    review_comment_post(
        review=review, author=coordinator, body=MARKERS["review_reply"], parent=comment
    )
    review = review_approve(review=review, user=ars)

    # Since then, the draft of the next round: reopened, edited, submitted, under review.
    review_reopen(review=review, user=ars, reason=MARKERS["reopen_reason"])
    orientation = section.objectives.get(number="1")
    Action.objects.filter(objective=orientation).update(title=MARKERS["next_round_action"])
    ObjectiveFactory(section=section, number="2", level=1, title=MARKERS["draft_objective"])
    ActionFactory(objective=orientation, title=MARKERS["draft_action"])
    second = health_section_submit(section=section, user=coordinator)
    second = review_take(review=second, user=ars)
    review_comment_post(review=second, author=ars, body=MARKERS["review_comment"] + "-2")

    # A section never approved, in another contract.
    draft_contract = CityContractFactory(carrier_epci=epci, department=contract.department)
    draft_contract.neighbourhoods.add(neighbourhood)
    draft = HealthSectionFactory(contract=draft_contract, is_published=False)
    ObjectiveFactory(section=draft, number="1", level=1, title=MARKERS["draft_section_orientation"])

    # Schemes: a published one whose coordinator publishes a professional contact (and has
    # private ones), an unpublished one, a published mediator post.
    carrier = OrganisationFactory(commune=commune)
    scheme = SchemeFactory(carrier=carrier, name=PUBLISHED["scheme"], is_published=True)
    scheme.communes.add(commune)
    scheme.neighbourhoods.add(neighbourhood)
    hidden = SchemeFactory(carrier=carrier, name=MARKERS["unpublished_scheme"])
    hidden.communes.add(commune)
    hidden.neighbourhoods.add(neighbourhood)
    coordinator_person = PersonFactory(
        organisation=carrier,
        email=MARKERS["private_email"],
        phone=MARKERS["private_phone"],
        professional_email=PUBLISHED["professional_email"],
        publish_professional_contact=True,
    )
    RoleFactory(scheme=scheme, person=coordinator_person)
    RoleFactory(scheme=hidden, person=coordinator_person)
    arms = SchemeFactory(arms=True, carrier=carrier, is_published=True)
    arms.communes.add(commune)
    mediator = PersonFactory(
        organisation=carrier,
        email=MARKERS["mediator_private_email"],
        phone=MARKERS["private_phone"],
    )
    post = MediatorPostFactory(
        scheme=arms,
        employer=carrier,
        mediator=mediator,
        over_30=True,
        lives_in_qpv=True,
        job_seeker_or_insertion=True,
    )
    post.neighbourhoods.add(neighbourhood)
    section.contributing_schemes.add(scheme, hidden)

    published_structure = HealthStructureFactory(commune=commune, is_published=True)
    hidden_structure = HealthStructureFactory(
        commune=commune, name=MARKERS["unpublished_structure"], is_published=False
    )
    CallForProjectsFactory(
        contract=contract, title="Appel à projets santé 2016", is_published=True, budget=Decimal(1)
    )
    CallForProjectsFactory(contract=contract, title=MARKERS["unpublished_call"], year=2017)

    return {
        "home": {},
        "search": {},
        "search-suggestions": {},
        "neighbourhood-contours": {},
        "neighbourhood-list": {},
        "neighbourhood-page": [{"code": neighbourhood.code}],
        "commune-page": [{"insee_code": commune.insee_code}],
        "epci-page": [{"siren": epci.siren}],
        "point-lookup": {},
        "contract-list": {},
        "contract-page": [{"code": contract.code}, {"code": draft_contract.code}],
        "scheme-page": [{"uid": scheme.uid}, {"uid": hidden.uid}, {"uid": arms.uid}],
        "structure-page": [{"uid": published_structure.uid}, {"uid": hidden_structure.uid}],
        "directory": {},
        "directory-csv": {},
        "coverage-gaps": {},
        "coverage-gaps-csv": {},
        "partnerships": {},
    }


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "action", "data-url", "data-layer-url"} and value:
                self.links.append(value)


def body_text(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    if content[:2] == b"PK":  # XLSX and zipped dumps: the XML and CSV inside
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def same_site(link: str, base: str) -> str | None:
    """The path and query of a same-site link, or None."""
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or parts.netloc not in {"testserver", ""}:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or "logout" in parts.path:
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def found_links(address: str, response, text: str) -> list[str]:
    base = "http://testserver" + address
    content_type = response.get("Content-Type", "")
    links: list[str] = []
    if "html" in content_type:
        parser = _Links()
        parser.feed(text)
        links = parser.links
    elif "json" in content_type:
        try:
            document = json.loads(text)
        except ValueError:
            document = None
        links = [value for value in _strings(document) if value.startswith(("http://", "/"))]
    if 300 <= response.status_code < 400 and response.get("Location"):
        links.append(response["Location"])
    return [path for path in (same_site(link, base) for link in links) if path]


def _strings(document):
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


def variants(path: str) -> list[str]:
    """An API list's other formats: GeoJSON and CSV (XLSX where offered is linked)."""
    parts = urlsplit(path)
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) == 3 and segments[:2] == ["api", "v1"] and not parts.query:
        return [f"{parts.path}?format=geojson", f"{parts.path}?format=csv"]
    return []


def start_addresses(names: dict) -> list[str]:
    addresses = ["/"]
    for name, kwargs_list in names.items():
        for kwargs in kwargs_list if isinstance(kwargs_list, list) else [kwargs_list]:
            addresses.append(reverse(name, kwargs=kwargs))
    search, suggestions = reverse("search"), reverse("search-suggestions")
    # Searching for a private text must not find it either. The queries are prefixes of the
    # markers, so that a page repeating its query shows no whole marker.
    for marker in (
        "zqleak",
        "zqleak-dispositif",
        "zqleak-action",
        "zqleak-structure",
        "zqleak.prive",
    ):
        addresses += [f"{search}?q={marker}", f"{suggestions}?q={marker}"]
    contours = reverse("neighbourhood-contours")
    addresses += [f"{contours}?geographie=2015", f"{contours}?geographie=2024", "/api/v1/"]
    return addresses


def crawl(client: Client, addresses: list[str]) -> dict[str, tuple[int, str, str]]:
    seen: dict[str, tuple[int, str, str]] = {}
    queue = deque(addresses)
    queued = set(addresses)
    while queue and len(seen) < MAX_RESPONSES:
        address = queue.popleft()
        response = client.get(address)
        text = body_text(response)
        seen[address] = (response.status_code, response.get("Content-Type", ""), text)
        for link in found_links(address, response, text) + variants(address):
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return seen


@pytest.fixture
def anonymous(monkeypatch):
    # Throttling answers 429 after a few API requests: the crawl would stop seeing the API.
    monkeypatch.setattr(APIView, "check_throttles", lambda self, request: None)
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_no_private_text_reaches_any_public_response(anonymous):
    names = leak_world()

    seen = crawl(anonymous, start_addresses(names))

    leaks = [
        f"{address}: {kind} ({marker!r})"
        for address, (_, _, text) in seen.items()
        for kind, marker in MARKERS.items()
        if marker.lower() in text.lower()
    ]
    assert not leaks, "\n".join(leaks)
    errors = [f"{address}: {status}" for address, (status, _, _) in seen.items() if status >= 500]
    assert not errors, "\n".join(errors)
    # What exists now must have been reached and answered: the home page and the layer.
    assert seen["/"][0] == 200
    layer = seen[reverse("neighbourhood-contours") + "?geographie=2015"]
    assert layer[0] == 200 and "FeatureCollection" in layer[2]
    # The crawl reaches private rows' addresses (which must refuse) and published ones.
    assert any(re.search(r"/dispositifs/[0-9a-f-]{36}/$", address) for address in seen)
