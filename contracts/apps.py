from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contrats de ville"

    def ready(self):
        from contracts import api_feed
        from contracts import models as m
        from neighbourhoods.territory import declare

        declare(m.CityContract, "carrier_epci", "carrier_commune")
        for model in (m.Signatory, m.HealthSection, m.CallForProjects):
            declare(model, "contract")
        declare(m.Objective, "section")
        declare(m.Action, "objective")
        declare(m.ActionFunding, "action")
        declare(m.Review, "section")
        declare(m.ReviewAnswer, "review")
        declare(m.ReviewComment, "review")
        declare(m.Proposal, "call")
        declare(m.TechnicalOpinion, "proposal")
        # A diagnosis or an evaluation sits where its scheme or its section does.
        for model in (m.HealthDiagnosis, m.Evaluation):
            declare(model, "scheme", "section")
        api_feed.connect()
