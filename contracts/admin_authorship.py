"""Admin side of honest authorship: the reviewer and comment authors are the logged-in user,
dates come from the clock, and posted comments stay as they were posted.

The admin never saves these rows itself: it hands what the form says to ``contracts.services``.
"""

from django.db import models

from contracts.models import ReviewComment
from contracts.services import (
    REVIEW_ASSESSMENT_FIELDS,
    review_comment_post,
    review_create,
    review_update,
)


class ReviewAuthorshipMixin:
    """For the Review admin: no form field for who or when; writes go through the services."""

    def get_readonly_fields(self, request, obj=None):
        readonly = (
            *super().get_readonly_fields(request, obj),
            "reviewer",
            "created_at",
            "updated_at",
        )
        # A review stays attached to the section it was opened for.
        return (*readonly, "section") if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        assessment = {
            name: form.cleaned_data[name]
            for name in REVIEW_ASSESSMENT_FIELDS
            if name in form.cleaned_data
        }
        if change:
            review_update(review=obj, **assessment)
        else:
            created = review_create(section=obj.section, reviewer=request.user, **assessment)
            _adopt(obj, created)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReviewComment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        # Only new comments are posted; a crafted change or deletion of a posted one is dropped.
        formset.new_objects = [
            review_comment_post(review=form.instance, author=request.user, body=comment.body)
            for comment in formset.new_objects
        ]
        formset.changed_objects = []
        formset.deleted_objects = []


class PostedCommentsReadOnlyMixin:
    """For the comment inline: new comments can be posted, posted ones are only shown."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _adopt(target: models.Model, saved: models.Model) -> None:
    """Makes the admin's unsaved instance the row a service created: the inline formsets and
    the admin's log and redirect hold that instance."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
