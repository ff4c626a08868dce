"""The change feed of the contracts app's API resources (``?updated_since=``).

A contract's payload nests its signatories, neighbourhoods, published calls and the APPROVED
version of its health section: the contract's ``updated_at`` moves when one of them changes
(for the section: when a round is approved, the only moment the public version changes). A
call's payload nests its decided proposals. Deleted contracts and calls, and calls taken off
line, leave a tombstone. Connected in ``ContractsConfig.ready``."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from contracts.enums import ReviewStatus
from devices.api_feed import _remember_publication, _touch_on_m2m, _withdrawn, touch
from portal.tombstones import track_deletions

CONTRACTS = "contracts"
CALLS = "calls-for-projects"


def _touch_contract_of(sender, instance, **kwargs):
    from contracts.models import CityContract

    touch(CityContract.objects.filter(pk=instance.contract_id))


def _touch_contract_on_approval(sender, instance, **kwargs):
    from contracts.models import CityContract

    if instance.status == ReviewStatus.APPROVED:
        touch(CityContract.objects.filter(health_section=instance.section_id))


def _touch_call_of(sender, instance, **kwargs):
    from contracts.models import CallForProjects

    touch(CallForProjects.objects.filter(pk=instance.call_id))


def connect() -> None:
    from contracts.models import (
        CallForProjects,
        CityContract,
        HealthSection,
        Proposal,
        Review,
        Signatory,
    )

    track_deletions(CityContract, CONTRACTS, "code")
    track_deletions(CallForProjects, CALLS, "uid")
    pre_save.connect(_remember_publication, sender=CallForProjects, dispatch_uid="feed-pub-call")
    post_save.connect(
        _withdrawn(CALLS, lambda call: call.uid),
        sender=CallForProjects,
        dispatch_uid="feed-withdrawn-call",
        weak=False,
    )

    for model in (Signatory, CallForProjects):
        for signal in (post_save, post_delete):
            signal.connect(
                _touch_contract_of, sender=model, dispatch_uid=f"feed-contract-{model.__name__}"
            )
    # A draft edit of the section changes nothing public; its approval (below) or its
    # deletion does.
    post_delete.connect(
        _touch_contract_of, sender=HealthSection, dispatch_uid="feed-contract-section"
    )
    post_save.connect(
        _touch_contract_on_approval, sender=Review, dispatch_uid="feed-contract-approval"
    )
    for signal in (post_save, post_delete):
        signal.connect(_touch_call_of, sender=Proposal, dispatch_uid="feed-call-proposal")
    for field in ("communes", "neighbourhoods"):
        m2m_changed.connect(
            _touch_on_m2m(CityContract),
            sender=getattr(CityContract, field).through,
            dispatch_uid=f"feed-contract-{field}",
            weak=False,
        )
