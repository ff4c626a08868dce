from django.db import models


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
