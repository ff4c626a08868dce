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


class CityContractQuerySet(models.QuerySet):
    def with_carrier(self):
        return self.select_related("carrier_epci", "carrier_commune", "department")

    def in_department(self, code: str):
        return self.filter(department__code=code)


class HealthSectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_contract(self):
        return self.select_related("contract", "constituted_by")


class ObjectiveQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class ActionQuerySet(models.QuerySet):
    def with_details(self):
        return self.select_related("objective__section__contract", "carrier").prefetch_related(
            "schemes", "neighbourhoods"
        )
