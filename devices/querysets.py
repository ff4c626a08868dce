from django.db import models
from django.db.models import Q

from devices.enums import SchemeKind, SchemeStatus


def scheme_territory(prefix: str, epci_ids, commune_ids) -> Q:
    """Rows whose scheme (reached through ``prefix``) covers or is carried in the territory."""
    path = f"{prefix}__" if prefix else ""
    return (
        Q(**{f"{path}epcis__in": epci_ids})
        | Q(**{f"{path}communes__in": commune_ids})
        | Q(**{f"{path}communes__epci__in": epci_ids})
        | Q(**{f"{path}carrier__epci__in": epci_ids})
        | Q(**{f"{path}carrier__commune__in": commune_ids})
    )


def structure_territory(prefix: str, epci_ids, commune_ids) -> Q:
    path = f"{prefix}__" if prefix else ""
    return Q(**{f"{path}commune__in": commune_ids}) | Q(**{f"{path}commune__epci__in": epci_ids})


class SchemeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def of_kind(self, kind: SchemeKind):
        return self.filter(kind=kind)

    def active(self):
        return self.filter(status__in=[SchemeStatus.OPERATIONAL, SchemeStatus.PROJECT])

    def covering(self, neighbourhood):
        """Schemes whose coverage reaches the neighbourhood directly, by commune or by EPCI."""
        return self.filter(
            Q(neighbourhoods=neighbourhood)
            | Q(communes__in=neighbourhood.communes.all())
            | Q(epcis=neighbourhood.epci_id)
        ).distinct()

    def with_details(self):
        return self.select_related("carrier", "reference_hospital").prefetch_related(
            "thematics", "communes", "epcis", "neighbourhoods"
        )


class RoleQuerySet(models.QuerySet):
    def current(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class HealthStructureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_place(self):
        return self.select_related("commune", "carrier")
