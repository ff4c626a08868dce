"""Who may do what through the API.

* ``PublicReadTokenWrite`` (the default): everyone reads (each viewset serves published data
  only to those who may not see more); writing needs a read-and-write token (or the portal's
  session) of a user who writes, and each row is then checked against the user's territory
  policy intersected with the token's territory (``portal.api.access``).
* ``PublicReadOnly``: resources nobody writes through the API.

Both let anyone call the actions a viewset lists in ``read_only_post_actions`` (reads that take
a POST body, such as a batch of points to locate); the API's write throttle still counts them.
"""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal.api import access


def _refuse(request, reason: str):
    if not (request.user and request.user.is_authenticated):
        raise exceptions.NotAuthenticated(reason)
    raise exceptions.PermissionDenied(reason)


class PublicReadOnly(BasePermission):
    def has_permission(self, request, view):
        if _reads(request, view):
            return True
        reason = access.writer_refusal(request) or (
            "Cette ressource est en lecture seule dans l'API."
        )
        _refuse(request, reason)


def _reads(request, view) -> bool:
    """A safe method, or an action that reads through POST (a batch of points to locate): the
    viewset lists those in ``read_only_post_actions``."""
    if request.method in SAFE_METHODS:
        return True
    return request.method == "POST" and getattr(view, "action", None) in getattr(
        view, "read_only_post_actions", ()
    )


class PublicReadTokenWrite(BasePermission):
    def has_permission(self, request, view):
        if _reads(request, view):
            return True
        reason = access.writer_refusal(request)
        if reason:
            _refuse(request, reason)
        return True

    def has_object_permission(self, request, view, obj):
        if _reads(request, view):
            return True
        action = "delete" if request.method == "DELETE" else "change"
        reason = access.write_refusal(request, obj, action)
        if reason:
            raise exceptions.PermissionDenied(reason)
        return True
