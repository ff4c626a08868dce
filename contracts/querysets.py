from django.db import models
from django.db.models import Q


def contract_territory(prefix: str, epci_ids, commune_ids) -> Q:
    """Rows whose city contract (reached through ``prefix``) is carried in the territory."""
    path = f"{prefix}__" if prefix else ""
    return (
        Q(**{f"{path}carrier_epci__in": epci_ids})
        | Q(**{f"{path}carrier_commune__in": commune_ids})
        | Q(**{f"{path}carrier_commune__epci__in": epci_ids})
    )


class HealthSectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)
