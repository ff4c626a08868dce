from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contrats de ville"

    def ready(self):
        from contracts import models as m
        from neighbourhoods.territory import declare

        declare(m.CityContract, "carrier_epci", "carrier_commune")
        for model in (m.Signatory, m.HealthSection):
            declare(model, "contract")
        declare(m.Objective, "section")
        declare(m.Action, "objective")
        declare(m.ActionFunding, "action")
        declare(m.Review, "section")
        declare(m.ReviewAnswer, "review")
        declare(m.ReviewComment, "review")
