"""Personal API tokens (issue 10, « Mes jetons d'API »), replacing DRF's authtoken.

A token is created by its owner, shown once (``vsc_<prefix>_<secret>``) and never stored: the
database keeps the public prefix (shown in lists and logs, used to find the row) and the SHA-256
hash of the whole token, compared in constant time. Each token has a scope (read, or read and
write for the users who write), a territory no wider than its owner's (none chosen: the owner's
whole territory), an expiry (at most a year) and may be revoked. Every request it authenticates
leaves one ``ApiTokenUse`` row, kept ``USAGE_RETENTION_DAYS`` days.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "vsc"
PREFIX_LENGTH = 8
MAX_LIFETIME_DAYS = 365
DEFAULT_LIFETIME_DAYS = 90
USAGE_RETENTION_DAYS = 90


class TokenScope(models.TextChoices):
    READ = "read", "Lecture"
    READ_WRITE = "read_write", "Lecture et écriture"


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def split_token(raw: str) -> str | None:
    """The prefix of a well-formed token (``vsc_<prefix>_<secret>``), None otherwise."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != PREFIX_LENGTH:
        return None
    if not parts[1].isalnum() or not parts[2]:
        return None
    return parts[1]


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="titulaire",
    )
    name = models.CharField(
        "nom", max_length=100, help_text="Pour vous y retrouver : l'application qui l'utilise."
    )
    prefix = models.CharField("préfixe", max_length=PREFIX_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField("empreinte SHA-256", max_length=64, editable=False)
    scope = models.CharField(
        "portée", max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    # The territory the token may write in, within its owner's; empty: all of the owner's.
    epcis = models.ManyToManyField(
        "neighbourhoods.Epci", blank=True, related_name="+", verbose_name="EPCI"
    )
    communes = models.ManyToManyField(
        "neighbourhoods.Commune", blank=True, related_name="+", verbose_name="communes"
    )
    departments = models.ManyToManyField(
        "neighbourhoods.Department", blank=True, related_name="+", verbose_name="départements"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        return f"{TOKEN_PREFIX}_{self.prefix}_…"

    @classmethod
    def generate(cls) -> tuple[str, str]:
        """A new (prefix, raw token). The prefix is alphanumeric, the secret 256 random bits."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        prefix = "".join(secrets.choice(alphabet) for _ in range(PREFIX_LENGTH))
        return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"

    def matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(raw))

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "révoqué"
        if self.expires_at <= now:
            return "expiré"
        return "actif"

    @property
    def is_active(self) -> bool:
        return self.state() == "actif"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE


def default_expiry(now=None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)


class ApiTokenUse(models.Model):
    """One request a token authenticated: when, what, and what the API answered."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="uses", verbose_name="jeton"
    )
    at = models.DateTimeField("date", default=timezone.now)
    method = models.CharField("méthode", max_length=10)
    path = models.CharField("adresse", max_length=500)
    status = models.PositiveSmallIntegerField("réponse")

    class Meta:
        verbose_name = "utilisation d'un jeton d'API"
        verbose_name_plural = "utilisations des jetons d'API"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "-at"]), models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.method} {self.path} → {self.status}"


# Services ------------------------------------------------------------------------------------


class TokenError(ValueError):
    """A token that may not be created as asked; the message is French, for the form."""


def may_write_through_api(user) -> bool:
    """Read-and-write tokens are for the users who write the territory's data: coordinators
    and administrators."""
    from portal.enums import UserRole

    return bool(
        user.is_active and (user.is_superuser or getattr(user, "role", "") == UserRole.COORDINATOR)
    )


def territory_choices(user) -> dict[str, models.QuerySet]:
    """What a token of ``user`` may be limited to: never wider than the user's territory."""
    from neighbourhoods.models import Commune, Department, Epci

    if user.is_superuser:
        return {
            "departments": Department.objects.order_by("code"),
            "epcis": Epci.objects.order_by("name"),
            "communes": Commune.objects.none(),
        }
    if getattr(user, "is_coordinator", False):
        return {
            "departments": Department.objects.none(),
            "epcis": user.epcis.order_by("name"),
            "communes": user.communes.order_by("name"),
        }
    if user.region_id:
        departments = Department.objects.filter(region_id=user.region_id)
    else:
        departments = user.departments.all()
    return {
        "departments": departments.order_by("code"),
        "epcis": Epci.objects.none(),
        "communes": Commune.objects.none(),
    }


def token_create(
    *,
    owner,
    name: str,
    scope: str = TokenScope.READ,
    expires_at: datetime.datetime | None = None,
    epcis=(),
    communes=(),
    departments=(),
    now: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Creates a token and returns it with its secret, which nothing keeps: show it once."""
    from django.db import transaction

    now = now or timezone.now()
    expires_at = expires_at or default_expiry(now)
    if not name.strip():
        raise TokenError("Donnez un nom au jeton.")
    if scope not in TokenScope.values:
        raise TokenError("Portée inconnue.")
    if scope == TokenScope.READ_WRITE and not may_write_through_api(owner):
        raise TokenError(
            "Seul·es les coordinateur·rices et les administrateur·rices peuvent créer un jeton "
            "d'écriture."
        )
    if expires_at <= now:
        raise TokenError("La date d'expiration doit être dans le futur.")
    if expires_at > now + datetime.timedelta(days=MAX_LIFETIME_DAYS):
        raise TokenError(f"Un jeton vaut au plus {MAX_LIFETIME_DAYS} jours.")
    choices = territory_choices(owner)
    chosen = {"epcis": list(epcis), "communes": list(communes), "departments": list(departments)}
    for key, rows in chosen.items():
        allowed = set(choices[key].values_list("pk", flat=True)) if rows else set()
        if any(getattr(row, "pk", row) not in allowed for row in rows):
            raise TokenError("Le territoire d'un jeton ne peut dépasser le vôtre.")
    with transaction.atomic():
        while True:
            prefix, raw = ApiToken.generate()
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = ApiToken.objects.create(
            owner=owner,
            name=name.strip(),
            prefix=prefix,
            secret_hash=hash_secret(raw),
            scope=scope,
            expires_at=expires_at,
        )
        for key, rows in chosen.items():
            if rows:
                getattr(token, key).set(rows)
    return token, raw


def token_revoke(*, token: ApiToken, now: datetime.datetime | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_uses_prune(*, now: datetime.datetime | None = None) -> int:
    """Deletes the usage rows older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=USAGE_RETENTION_DAYS)
    deleted, _ = ApiTokenUse.objects.filter(at__lt=cutoff).delete()
    return deleted
