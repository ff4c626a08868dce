"""The change feed of the devices app's API resources (``?updated_since=``).

A scheme's payload nests its funding lines, mediator posts, public roles, signatories, links
and governance: when one of them changes, the scheme's ``updated_at`` moves, so that a partner
mirroring the schemes sees it. A deleted or withdrawn (unpublished) row leaves a tombstone.
Connected in ``DevicesConfig.ready``; each handler is one UPDATE or INSERT."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from portal.models import Tombstone
from portal.tombstones import track_deletions

SCHEMES = "schemes"
STRUCTURES = "health-structures"
ORGANISATIONS = "organisations"


def touch(queryset) -> None:
    """Moves ``updated_at`` of these rows to now (``update()`` skips ``auto_now``)."""
    queryset.update(updated_at=timezone.now())


def _touch_scheme_of(sender, instance, **kwargs):
    from devices.models import Scheme

    if instance.scheme_id:
        touch(Scheme.objects.filter(pk=instance.scheme_id))


def _touch_linked_schemes(sender, instance, **kwargs):
    from devices.models import Scheme

    touch(Scheme.objects.filter(pk__in=[instance.source_id, instance.target_id]))


def _touch_scheme_of_member(sender, instance, **kwargs):
    from devices.models import Scheme

    touch(Scheme.objects.filter(governance_bodies=instance.body_id))


def _touch_schemes_of_person(sender, instance, **kwargs):
    # A person's published contact shows in the schemes where they hold a role.
    from devices.models import Scheme

    touch(Scheme.objects.filter(roles__person=instance))


def _touch_rows_of_organisation(sender, instance, **kwargs):
    # An organisation's name shows in the schemes and structures it carries.
    from devices.models import HealthStructure, Scheme

    if kwargs.get("created"):
        return
    touch(Scheme.objects.filter(carrier=instance))
    touch(HealthStructure.objects.filter(carrier=instance))


def _touch_on_m2m(model):
    """A many-to-many change of ``model`` rows (a scheme's communes, a post's
    neighbourhoods), from either side."""

    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            touch(model.objects.filter(pk=instance.pk))
        elif pk_set:
            touch(model.objects.filter(pk__in=pk_set))

    return handler


def _touch_scheme_of_post_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    from devices.models import MediatorPost, Scheme

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    posts = [instance.pk] if not reverse else list(pk_set or ())
    touch(Scheme.objects.filter(mediator_posts__in=posts))
    touch(MediatorPost.objects.filter(pk__in=posts))


def _remember_publication(sender, instance, **kwargs):
    """Before a save: was this row published? (One query, on rows that exist already.)"""
    instance._was_published = bool(
        instance.pk and sender.objects.filter(pk=instance.pk, is_published=True).exists()
    )


def _withdrawn(resource: str, code):
    """A published row taken off line is, for a mirror, a deletion: it gets a tombstone (and
    comes back through ``updated_since`` if it is published again)."""

    def handler(sender, instance, **kwargs):
        if getattr(instance, "_was_published", False) and not instance.is_published:
            Tombstone.objects.create(resource=resource, code=str(code(instance)))

    return handler


def _organisation_deleted(sender, instance, **kwargs):
    from devices.serializers import organisation_code

    Tombstone.objects.create(resource=ORGANISATIONS, code=organisation_code(instance))


def connect() -> None:
    from devices.models import (
        Funding,
        GovernanceBody,
        GovernanceMember,
        HealthStructure,
        MediatorPost,
        Organisation,
        Person,
        Role,
        Scheme,
        SchemeLink,
        SchemeSignatory,
    )

    track_deletions(Scheme, SCHEMES, "uid")
    track_deletions(HealthStructure, STRUCTURES, "uid")
    post_delete.connect(_organisation_deleted, sender=Organisation, dispatch_uid="feed-org-del")

    for model, resource in ((Scheme, SCHEMES), (HealthStructure, STRUCTURES)):
        pre_save.connect(_remember_publication, sender=model, dispatch_uid=f"feed-pub-{resource}")
        post_save.connect(
            _withdrawn(resource, lambda row: row.uid),
            sender=model,
            dispatch_uid=f"feed-withdrawn-{resource}",
            weak=False,
        )

    for model in (Funding, MediatorPost, Role, SchemeSignatory, GovernanceBody):
        for signal in (post_save, post_delete):
            signal.connect(
                _touch_scheme_of, sender=model, dispatch_uid=f"feed-scheme-{model.__name__}"
            )
    for signal in (post_save, post_delete):
        signal.connect(_touch_linked_schemes, sender=SchemeLink, dispatch_uid="feed-scheme-link")
        signal.connect(
            _touch_scheme_of_member, sender=GovernanceMember, dispatch_uid="feed-scheme-member"
        )
    post_save.connect(_touch_schemes_of_person, sender=Person, dispatch_uid="feed-person")
    post_save.connect(_touch_rows_of_organisation, sender=Organisation, dispatch_uid="feed-org")

    for field in ("communes", "epcis", "neighbourhoods", "thematics"):
        m2m_changed.connect(
            _touch_on_m2m(Scheme),
            sender=getattr(Scheme, field).through,
            dispatch_uid=f"feed-scheme-{field}",
            weak=False,
        )
    m2m_changed.connect(
        _touch_on_m2m(HealthStructure),
        sender=HealthStructure.communes_served.through,
        dispatch_uid="feed-structure-communes",
        weak=False,
    )
    m2m_changed.connect(
        _touch_scheme_of_post_m2m,
        sender=MediatorPost.neighbourhoods.through,
        dispatch_uid="feed-post-neighbourhoods",
    )
