from django.apps import AppConfig
from django.db.models import Q


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = "Dispositifs de santé"

    def ready(self):
        from devices import api_feed
        from devices import models as m
        from neighbourhoods.territory import declare

        # Organisations are shared references, but where they sit places the schemes they
        # carry and the people they employ.
        declare(m.Organisation, "commune", "epci", shared=True)
        declare(m.Thematic, shared=True)
        declare(m.Scheme, "epcis", "communes", "carrier")
        for model in (m.SchemeSignatory, m.MediatorPost, m.Funding):
            declare(model, "scheme")
        declare(m.Role, "scheme", "organisation")
        declare(m.HealthStructure, "commune")
        # A link belongs to its source scheme's territory; the form lets a coordinator point it
        # only at a scheme of their territory too (the target is attached like any foreign key).
        declare(m.SchemeLink, "source")
        declare(m.GovernanceBody, "scheme")
        for model in (m.GovernanceMember, m.GovernanceMeeting):
            declare(model, "body")
        # A person belongs to the territories of their roles, posts and employer. Someone with
        # none of them yet (just created, employer placed nowhere) belongs to no territory: any
        # coordinator may complete them and give them a role, which places them.
        declare(
            m.Person,
            "roles",
            "mediator_posts",
            "organisation",
            unbound=Q(roles__isnull=True, mediator_posts__isnull=True)
            & (
                Q(organisation__isnull=True)
                | Q(organisation__commune__isnull=True, organisation__epci__isnull=True)
            ),
        )
        api_feed.connect()
