# Existing reviews become review rounds: their free status maps onto the review's states, each
# section's reviews are numbered by creation, the five yes/no criteria become the round's
# checklist answers, and each section takes the state of its latest round. A section published
# by hand before keeps its checkbox only if the ARS approved it.

from django.db import migrations

STATUS = {"pending": "submitted", "in_progress": "in_review"}
CRITERIA = {
    "diagnosis_shared": "diagnosis_shared",
    "cls_articulated": "cls_articulated",
    "mental_health_considered": "mental_health",
    "residents_involved": "residents_involved",
    "prs_consistent": "prs_consistent",
}


def forwards(apps, schema_editor):
    Review = apps.get_model("contracts", "Review")
    ReviewAnswer = apps.get_model("contracts", "ReviewAnswer")
    HealthSection = apps.get_model("contracts", "HealthSection")
    latest = {}
    numbers = {}
    for review in Review.objects.order_by("section_id", "created_at", "pk"):
        numbers[review.section_id] = numbers.get(review.section_id, 0) + 1
        review.number = numbers[review.section_id]
        review.status = STATUS.get(review.status, review.status)
        review.submitted_at = review.submitted_at or review.created_at
        review.save(update_fields=["number", "status", "submitted_at"])
        ReviewAnswer.objects.bulk_create(
            ReviewAnswer(review=review, criterion=criterion, answer=getattr(review, field))
            for field, criterion in CRITERIA.items()
        )
        latest[review.section_id] = review
    for section in HealthSection.objects.all():
        review = latest.get(section.pk)
        section.review_status = review.status if review else "draft"
        section.is_published = review is not None and review.status == "approved"
        section.save(update_fields=["review_status", "is_published"])


def backwards(apps, schema_editor):
    Review = apps.get_model("contracts", "Review")
    reverse_status = {new: old for old, new in STATUS.items()}
    reverse_criteria = {criterion: field for field, criterion in CRITERIA.items()}
    for review in Review.objects.prefetch_related("answers"):
        review.status = reverse_status.get(review.status, review.status)
        if review.status not in ("pending", "in_progress", "changes_requested", "approved"):
            review.status = "pending"
        for answer in review.answers.all():
            setattr(review, reverse_criteria[answer.criterion], answer.answer)
        review.save()


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_review_rounds_answers_threads"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
