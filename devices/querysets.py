from django.db import models


class SchemeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class HealthStructureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)
