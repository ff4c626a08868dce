from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = "Territoires et quartiers"

    def ready(self):
        from neighbourhoods.territory import declare_neighbourhoods_rules

        declare_neighbourhoods_rules()

        from neighbourhoods.api_feed import connect_feed

        connect_feed()
