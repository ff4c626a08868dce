from django.db import models
from django.db.models import Q


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
    """Health structures located in the territory."""
    path = f"{prefix}__" if prefix else ""
    return Q(**{f"{path}commune__in": commune_ids}) | Q(**{f"{path}commune__epci__in": epci_ids})


class SchemeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class HealthStructureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)
