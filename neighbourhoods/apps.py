from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = "Territoires et quartiers"
