import factory

from portal.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide")

    class Params:
        coordinator = factory.Trait(role="coordinator", is_staff=True)
        ars_reviewer = factory.Trait(role="ars_reviewer", is_staff=True)
        partner = factory.Trait(role="partner")
