"""Deletions of the rows partners mirror: each API resource declares how its rows are named
(their public code), and every deletion of such a row leaves a ``Tombstone``."""

from django.db.models.signals import post_delete

from portal.models import Tombstone

_RESOURCES: dict[type, tuple[str, str]] = {}


def track_deletions(model, resource: str, code_field: str) -> None:
    """Records a tombstone (resource, value of ``code_field``) whenever a ``model`` row is
    deleted, whatever deletes it (admin, API, cascade, importer using ``delete()``)."""
    _RESOURCES[model] = (resource, code_field)
    post_delete.connect(_record, sender=model, dispatch_uid=f"tombstone-{resource}")


def _record(sender, instance, **kwargs):
    resource, code_field = _RESOURCES[sender]
    Tombstone.objects.create(resource=resource, code=str(getattr(instance, code_field)))


def deleted_since(resource: str, since):
    """The tombstones of ``resource`` newer than ``since`` (a datetime), oldest first."""
    return Tombstone.objects.filter(resource=resource, deleted_at__gt=since)
