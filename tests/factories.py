"""Factories for the site-wide models (accounts, members, funders, product lines).

App-specific factories live next to their tests (tests/<app>/factories.py).
"""

import factory
from django_countries import countries  # noqa: F401

from portal.accounts.models import Funder, InstitutionType, MemberInstitution, ProductLine, Role, User


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"line-{n}")
    name_es = factory.Sequence(lambda n: f"Línea {n}")
    name_en = factory.Sequence(lambda n: f"Line {n}")


class MemberInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberInstitution

    name = factory.Sequence(lambda n: f"IMF {n}")
    country = "EC"
    institution_type = InstitutionType.NGO
    clients_served = 10_000


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Funder {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")
    role = Role.STAFF
    is_staff = False

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True

    @factory.post_generation
    def _permissions(obj, create, extracted, **kwargs):  # noqa: N805
        """Staff belong to the association staff group (created after migrate)."""
        if create:
            from django.contrib.auth.models import Group

            from portal.accounts.apps import STAFF_GROUP, ensure_staff_group

            ensure_staff_group()
            obj.groups.add(Group.objects.get(name=STAFF_GROUP))


class MemberUserFactory(UserFactory):
    role = Role.MEMBER
    institution = factory.SubFactory(MemberInstitutionFactory)


class DonorFactory(UserFactory):
    role = Role.DONOR
    funder = factory.SubFactory(FunderFactory)
