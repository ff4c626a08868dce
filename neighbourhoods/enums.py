from django.db import models


class EpciNature(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"
    EPT = "EPT", "Établissement public territorial"


class CommuneKind(models.TextChoices):
    COMMUNE = "COM", "Commune"
    ARRONDISSEMENT = "ARM", "Arrondissement municipal"


class NeighbourhoodKind(models.TextChoices):
    QPV = "qpv", "Quartier prioritaire (QPV)"
    WATCH = "watch", "Quartier de veille active"


class Geography(models.IntegerChoices):
    G2015 = 2015, "Géographie 2015"
    G2024 = 2024, "Géographie 2024"


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", "Pourcentage"
    COUNT = "count", "Effectif"
    EURO = "euro", "Euros"
    RATIO = "ratio", "Ratio"


class ValueStatus(models.TextChoices):
    AVAILABLE = "available", "Disponible"
    SECRET = "secret", "Secret statistique"
    MISSING = "missing", "Non disponible"


class LinkBasis(models.TextChoices):
    CONTOUR = "contour", "Contours qui se recouvrent"
    NAME = "name", "Même commune et même nom"
