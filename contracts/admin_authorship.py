"""Admin side of honest authorship: comment authors are the logged-in user, dates come from the
clock, posted comments stay as they were posted, and checklist answers are written by the
reviewer of the round only.

The admin never saves these rows itself: it hands what the forms say to
``contracts.review_services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from contracts.models import ReviewAnswer, ReviewComment
from contracts.review_services import review_answer_set, review_comment_post


class ReviewAuthorshipMixin:
    """For the Review admin: no form field for who or when; writes go through the services."""

    def save_model(self, request, obj, form, change):
        # The round's own fields change through its transitions only (buttons of the page).
        pass

    def save_formset(self, request, form, formset, change):
        review = form.instance
        if formset.model is ReviewComment:
            formset.save(commit=False)
            # Only new comments are posted; a crafted change or deletion of a posted one is dropped.
            posted = []
            for comment in formset.new_objects:
                try:
                    posted.append(
                        review_comment_post(
                            review=review,
                            author=request.user,
                            body=comment.body,
                            objective=comment.objective,
                            action=comment.action,
                            parent=comment.parent,
                        )
                    )
                except (PermissionDenied, ValidationError) as refused:
                    messages.error(request, _message(refused))
            formset.new_objects = posted
            formset.changed_objects = []
            formset.deleted_objects = []
            return None
        if formset.model is ReviewAnswer:
            formset.save(commit=False)
            for answer, _changed in formset.changed_objects:
                review_answer_set(
                    review=review,
                    user=request.user,
                    criterion=answer.criterion,
                    answer=answer.answer,
                    remark=answer.remark,
                )
            formset.new_objects = []
            formset.deleted_objects = []
            return None
        return super().save_formset(request, form, formset, change)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class PostedCommentsReadOnlyMixin:
    """For the comment inline: new comments can be posted, posted ones are only shown."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def adopt_saved(target: models.Model, saved: models.Model) -> None:
    """Makes the admin's unsaved instance the row a service created: the inline formsets and
    the admin's log and redirect hold that instance."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
