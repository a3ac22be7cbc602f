"""factory_boy factories with Finnish fake data. Build cases through them or through services."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.haastavat_erot.models import (
    BackgroundInformation,
    Case,
    Child,
    Consent,
    ConsentAnswer,
    ConsultationGroup,
    County,
    CountyAdmin,
    ExpertOrganisation,
    Membership,
    Recommendation,
    RecommendationCategory,
    Role,
    Sector,
    Session,
    User,
)

PASSWORD = "Test-password-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@hyvinvointialue.example")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    sector = Sector.SOCIAL
    unit = "Lapsiperheiden sosiaalityö"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def county(code="KS"):
    return County.objects.get(code=code)


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = ConsultationGroup

    county = factory.LazyFunction(county)
    name = factory.Sequence(lambda n: f"Konsultaatioryhmä {n}")
    slug = factory.Sequence(lambda n: f"ryhma-{n}")
    slots_per_session = 4


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.Sequence(lambda n: timezone.now() + timedelta(days=7 + 30 * n))
    capacity = 4


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EXPERT
    organisation = ExpertOrganisation.POLICE


class CountyAdminFactory(DjangoModelFactory):
    class Meta:
        model = CountyAdmin

    county = factory.LazyFunction(county)
    user = factory.SubFactory(UserFactory)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    session = factory.SubFactory(SessionFactory)
    group = factory.LazyAttribute(lambda o: o.session.group)
    worker = factory.SubFactory(UserFactory)
    sector = Sector.SOCIAL


class BackgroundFactory(DjangoModelFactory):
    class Meta:
        model = BackgroundInformation

    case = factory.SubFactory(CaseFactory)
    question = "Miten tukea lasta vaihtotilanteissa?"
    family_situation = "Vanhemmat erosivat vuosi sitten."


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    background = factory.SubFactory(BackgroundFactory)
    age_years = 8


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    case = factory.SubFactory(CaseFactory)
    guardian_name = factory.Faker("name", locale="fi_FI")
    handling = ConsentAnswer.GIVEN
    records = ConsentAnswer.GIVEN


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    case = factory.SubFactory(CaseFactory)
    category = RecommendationCategory.ASSESSMENT
    text = "Lapsen tilanteen arvio."
