"""Who may move a health section through its ARS review.

* the coordinator of the section's territory submits and resubmits it;
* an ARS reviewer of the section's region, or of its department, takes it, asks for changes,
  approves it and reopens it;
* administrators may do everything; anyone else nothing.

The review services call these functions; the admin (and later the API) call them to decide what
to show. A reviewer without a region nor departments reviews nothing.
"""

from django.db.models import Q, QuerySet

from contracts.models import HealthSection
from neighbourhoods.territory import is_in_scope


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_submit(user, section: HealthSection) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return (
        getattr(user, "is_coordinator", False)
        and user.has_perm("contracts.change_healthsection")
        and is_in_scope(user, section)
    )


def review_area(user) -> Q:
    """The sections an ARS reviewer answers for, as a condition on HealthSection."""
    if not hasattr(user, "_review_area"):
        region_id = user.region_id
        department_ids = list(user.departments.values_list("pk", flat=True))
        area = Q(pk__in=[])
        if region_id:
            area |= Q(contract__department__region_id=region_id)
        if department_ids:
            area |= Q(contract__department_id__in=department_ids)
        user._review_area = area
    return user._review_area


def may_review(user, section: HealthSection) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if not getattr(user, "is_ars_reviewer", False):
        return False
    key = ("review", section.pk)
    cache = user.__dict__.setdefault("_may_review", {})
    if key not in cache:
        cache[key] = HealthSection.objects.filter(review_area(user), pk=section.pk).exists()
    return cache[key]


def may_comment(user, section: HealthSection) -> bool:
    """The people of the review: its territory's coordinators and its ARS reviewers."""
    return may_submit(user, section) or may_review(user, section)


def reviewable(user, queryset: QuerySet) -> QuerySet:
    """The sections of ``queryset`` the user may review."""
    if not _active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not getattr(user, "is_ars_reviewer", False):
        return queryset.none()
    return queryset.filter(review_area(user))
