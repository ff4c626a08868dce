"""Admin pages of the ARS review: each round with its checklist, its threaded comments, the
buttons of the steps the signed-in user may take, and the difference with the previous round.

Every step goes through ``contracts.review_services``; this module only shows and forwards.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from contracts.admin_authorship import PostedCommentsReadOnlyMixin, ReviewAuthorshipMixin
from contracts.enums import ReviewStatus
from contracts.models import Action, HealthSection, Objective, Review, ReviewAnswer, ReviewComment
from contracts.review_policy import may_comment, may_review, may_submit
from contracts.review_selectors import next_step_of, round_diff
from contracts.review_services import (
    health_section_submit,
    review_approve,
    review_reopen,
    review_request_changes,
    review_take,
)
from neighbourhoods.admin_territory import TerritoryAdmin, TerritoryInline
from portal.admin_concurrency import VersionCheckedAdminMixin

S = ReviewStatus

# step: (service, button label, states of the section it starts from)
REVIEW_STEPS = {
    "take": (review_take, "Prendre en charge", (S.SUBMITTED, S.RESUBMITTED)),
    "request_changes": (review_request_changes, "Demander des compléments", (S.IN_REVIEW,)),
    "approve": (review_approve, "Valider et publier", (S.IN_REVIEW,)),
    "reopen": (review_reopen, "Rouvrir", (S.APPROVED,)),
}


def refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "Action refusée."


class ReviewAnswerInline(TerritoryInline, admin.TabularInline):
    model = ReviewAnswer
    extra = 0
    fields = ("criterion", "answer", "remark")
    readonly_fields = ("criterion",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The reviewer answers while examining the round; the checklist is then kept as given.
        return (
            obj is not None
            and obj.status == S.IN_REVIEW
            and obj.section.review_status == S.IN_REVIEW
            and may_review(request.user, obj.section)
        )

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewCommentInline(PostedCommentsReadOnlyMixin, TerritoryInline, admin.StackedInline):
    model = ReviewComment
    extra = 0
    fields = ("anchor", "parent", "objective", "action", "body", "author", "created_at")
    readonly_fields = ("anchor", "author", "created_at")
    verbose_name = "commentaire"
    verbose_name_plural = "commentaires (chaque réponse hérite de l'ancrage du commentaire)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author", "objective", "action", "parent__author")
        )

    def has_add_permission(self, request, obj=None):
        return obj is not None and may_comment(request.user, obj.section)

    @admin.display(description="porte sur")
    def anchor(self, comment: ReviewComment) -> str:
        return comment.anchor if comment.pk else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        review_id = request.resolver_match.kwargs.get("object_id")
        section = Review.objects.filter(pk=review_id).values("section_id")
        if db_field.name == "objective":
            kwargs["queryset"] = Objective.objects.filter(section_id__in=section).order_by("number")
        elif db_field.name == "action":
            kwargs["queryset"] = Action.objects.filter(
                objective__section_id__in=section
            ).select_related("objective")
        elif db_field.name == "parent":
            kwargs["queryset"] = ReviewComment.objects.filter(review_id=review_id).select_related(
                "author"
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and formfield is not None:
            formfield.label_from_instance = comment_label
        return formfield


@admin.register(Review)
class ReviewAdmin(
    VersionCheckedAdminMixin, ReviewAuthorshipMixin, TerritoryAdmin, admin.ModelAdmin
):
    change_form_template = "admin/contracts/review/change_form.html"
    list_display = ("section", "number", "status", "reviewer", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("section__contract", "reviewer")
    search_fields = ("section__contract__name", "reviewer__username")
    fields = (
        "section",
        "number",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewer",
        "decided_at",
        "reopen_reason",
        "discussion",
    )
    readonly_fields = fields
    inlines = (ReviewAnswerInline, ReviewCommentInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section__contract", "reviewer", "submitted_by")
        )

    def has_add_permission(self, request):
        return False  # a round is opened by submitting the section

    def has_change_permission(self, request, obj=None):
        # Changing a round means answering its checklist or commenting it.
        if obj is None:
            return request.user.is_active and request.user.is_staff
        return may_comment(request.user, obj.section)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="discussion")
    def discussion(self, review: Review) -> str:
        comments = list(
            review.comments.select_related("author", "objective", "action").order_by(
                "created_at", "pk"
            )
        )
        if not comments:
            return "Aucun commentaire."
        replies: dict[int | None, list[ReviewComment]] = {}
        for comment in comments:
            replies.setdefault(comment.parent_id, []).append(comment)
        return thread(replies, None)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/etape/<str:step>/", view(self.step_view), name="review_step"),
            path("<int:object_id>/differences/", view(self.diff_view), name="review_diff"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["review_steps"] = [
                (step, label)
                for step, (_service, label, starts) in REVIEW_STEPS.items()
                if obj.section.review_status in starts and may_review(request.user, obj.section)
            ]
            context["review_next_step"] = next_step_of(obj.section)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def step_view(self, request, object_id: int, step: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        review = get_object_or_404(self.get_queryset(request), pk=object_id)
        if step not in REVIEW_STEPS:
            raise PermissionDenied
        service = REVIEW_STEPS[step][0]
        extra = {"reason": request.POST.get("reason", "")} if step == "reopen" else {}
        try:
            service(review=review, user=request.user, **extra)
        except (PermissionDenied, ValidationError) as refused:
            messages.error(request, refusal(refused))
        else:
            review.section.refresh_from_db(fields=["review_status"])
            messages.success(
                request, f"Volet santé : {review.section.get_review_status_display()}."
            )
        return HttpResponseRedirect(reverse("admin:contracts_review_change", args=[review.pk]))

    def diff_view(self, request, object_id: int):
        review = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, review):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Différences du tour {review.number} avec le tour précédent",
            "diff": round_diff(review),
            "original": review,
        }
        return TemplateResponse(request, "admin/contracts/review/diff.html", context)


def comment_label(comment: ReviewComment) -> str:
    excerpt = comment.body if len(comment.body) <= 60 else f"{comment.body[:59]}…"
    return f"{comment.author} : {excerpt}"


def thread(replies: dict, parent_id: int | None) -> str:
    """Comments as nested lists: a reply sits under the comment it answers (no inline styles)."""
    children = replies.get(parent_id, [])
    if not children:
        return ""
    return format_html(
        '<ul class="review-thread">{}</ul>',
        format_html_join(
            "",
            '<li class="review-comment"><span class="review-comment-meta">{} · {} · {}</span>'
            '<p class="review-comment-body">{}</p>{}</li>',
            (
                (
                    comment.author,
                    f"{comment.created_at:%d/%m/%Y %H:%M}",
                    comment.anchor,
                    comment.body,
                    thread(replies, comment.pk),
                )
                for comment in children
            ),
        ),
    )


class SectionReviewMixin:
    """For the HealthSection admin: the review state, read only, and the « submit » button."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/soumettre/", view(self.submit_view), name="section_submit"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["may_submit"] = obj.review_status in (
                S.DRAFT,
                S.CHANGES_REQUESTED,
            ) and may_submit(request.user, obj)
            context["review_next_step"] = next_step_of(obj)
            context["current_round"] = obj.reviews.order_by("-number").only("pk").first()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def submit_view(self, request, object_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        section = get_object_or_404(HealthSection, pk=object_id)
        try:
            health_section_submit(section=section, user=request.user)
        except (PermissionDenied, ValidationError) as refused:
            messages.error(request, refusal(refused))
        else:
            messages.success(request, "Le volet santé est soumis à la relecture de l'ARS.")
        return HttpResponseRedirect(
            reverse("admin:contracts_healthsection_change", args=[section.pk])
        )
