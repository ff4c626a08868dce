from django.db import models


class HealthSectionQuerySet(models.QuerySet):
    def published(self):
        """Sections the ARS approved at least once (``is_published`` follows approval only)."""
        return self.filter(is_published=True)
