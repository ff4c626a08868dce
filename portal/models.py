from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.enums import ReminderKind, UserRole


class User(AbstractUser):
    """An account of the portal, with the role it plays and the territory it answers for."""

    role = models.CharField("rôle", max_length=20, choices=UserRole.choices, blank=True)
    organisation = models.ForeignKey(
        "devices.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="organisation",
    )
    epcis = models.ManyToManyField(
        "neighbourhoods.Epci",
        blank=True,
        related_name="accounts",
        verbose_name="EPCI du territoire",
        help_text="Un·e coordinateur·rice ne modifie que les contrats portés par ces EPCI.",
    )
    communes = models.ManyToManyField(
        "neighbourhoods.Commune",
        blank=True,
        related_name="accounts",
        verbose_name="communes du territoire",
    )

    # ARS staff review the sections of their region, or of these departments only.
    region = models.ForeignKey(
        "neighbourhoods.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="région relue (ARS)",
        help_text="Un·e relecteur·rice ARS relit les volets santé des contrats de cette région.",
    )
    departments = models.ManyToManyField(
        "neighbourhoods.Department",
        blank=True,
        related_name="accounts",
        verbose_name="départements relus (ARS)",
        help_text="À défaut de région : les départements dont l'ARS relit les volets santé.",
    )

    # The reviewer's home lists what changed since the previous session's last look at it.
    dashboard_seen_at = models.DateTimeField(
        "dernière consultation du tableau de bord", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"

    @property
    def is_coordinator(self) -> bool:
        return self.role == UserRole.COORDINATOR

    def territory(self) -> tuple[list[int], list[int]]:
        """The ids of the EPCI and communes this account answers for, in one query (every
        territory check of a page starts with it)."""
        kind = models.Value("epci", output_field=models.CharField())
        epcis = self.epcis.through.objects.filter(user=self).values_list(kind, "epci_id")
        kind = models.Value("commune", output_field=models.CharField())
        communes = self.communes.through.objects.filter(user=self).values_list(kind, "commune_id")
        rows = list(epcis.union(communes, all=True))
        return (
            sorted(pk for kind, pk in rows if kind == "epci"),
            sorted(pk for kind, pk in rows if kind == "commune"),
        )

    @property
    def is_ars_reviewer(self) -> bool:
        return self.role == UserRole.ARS_REVIEWER


class InboxMessage(models.Model):
    """A copy of every email the portal sends, in the recipient's in-portal inbox."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="inbox", verbose_name="destinataire"
    )
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("message")
    link = models.CharField("lien", max_length=500, blank=True)
    created_at = models.DateTimeField("reçu le", auto_now_add=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "Ma boîte de réception"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="inbox_recipient_recent")]

    def __str__(self) -> str:
        return self.subject


class Reminder(models.Model):
    """Something a coordinator should look at, found by the daily ``manage.py reminders``.

    One row per (kind, row, recipient): the command adds the reminders that became true, keeps
    the ones still true and deletes the others, so running it twice changes nothing.
    """

    kind = models.CharField("type", max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name="destinataire",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="type de fiche"
    )
    object_id = models.PositiveBigIntegerField("identifiant de la fiche")
    subject = GenericForeignKey("content_type", "object_id")
    message = models.CharField("message", max_length=500)
    due_on = models.DateField("échéance", null=True, blank=True)
    first_found_on = models.DateField("relevé le")

    class Meta:
        verbose_name = "rappel"
        verbose_name_plural = "rappels"
        ordering = ["kind", "due_on", "pk"]
        constraints = [
            # The daily command is idempotent: one reminder per kind, row and recipient.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient"],
                name="unique_reminder",
                violation_error_message="Ce rappel existe déjà pour cette personne.",
            ),
        ]

    def __str__(self) -> str:
        return self.message


class Tombstone(models.Model):
    """A deleted published row, kept so that partners mirroring the data through the API's change
    feed (``?updated_since=``) learn of deletions: which resource, which public code, when."""

    resource = models.CharField("ressource", max_length=40)
    code = models.CharField("code", max_length=64)
    deleted_at = models.DateTimeField("supprimé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "suppression publiée"
        verbose_name_plural = "suppressions publiées"
        ordering = ["deleted_at", "id"]
        indexes = [models.Index(fields=["resource", "deleted_at"])]

    def __str__(self):
        return f"{self.resource} {self.code} (supprimé le {self.deleted_at:%d/%m/%Y})"


# Personal API tokens live in their own module (issue 10); imported here so Django finds them.
from portal.api_tokens import ApiToken, ApiTokenUse  # noqa: E402, F401
