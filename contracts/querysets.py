from django.db import models


class HealthSectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)
