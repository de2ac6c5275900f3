from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import Forum, ForumRole, ForumSeat, Organisation, Sector, StakeholderGroup, User

DEFAULT_PASSWORD = "a-long-test-password-42"


def default_forum() -> Forum:
    """The portal's first forum, which every record belongs to unless a test says otherwise
    (made again after a transactional test flushed the database)."""
    return Forum.objects.default()


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        django_get_or_create = ["slug"]

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The default forum is the first one: made before any other, even after a
        # transactional test emptied the database.
        Forum.objects.default()
        return super()._create(model_class, *args, **kwargs)

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    kind = Forum.Kind.LOCAL
    country = "RS"
    region = "Pančevo"


def role_give(member, role: str, forum=None) -> ForumRole:
    """`member` holds `role` (members.roles) in `forum` (the default forum without one)."""
    forum = forum or default_forum()
    if hasattr(member, "_forum_roles"):
        del member._forum_roles
    return ForumRole.objects.get_or_create(forum=forum, member=member, role=role)[0]


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")
    stakeholder_group = StakeholderGroup.NON_GOVERNMENT


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = factory.SubFactory(SectorFactory)
    country = factory.Iterator(["GR", "PT", "UA", "RS", "PL"])
    city = "Athens"
    # An organisation of the directory; a proposal waiting for the secretariat says
    # verified=False.
    verified = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(DEFAULT_PASSWORD)
    membership_status = "approved"

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """roles=[...]: the roles in the default forum (or in forum=...); the Django group of
        the same name gives the administration's permissions."""
        if create and extracted:
            forum = kwargs.get("forum")
            for role in extracted:
                if role in (ForumRole.Role.SECRETARIAT, ForumRole.Role.FACILITATOR):
                    role_give(self, role, forum)
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))


def member_of(group: str, **kwargs):
    """A member whose organisation is in the given stakeholder group."""
    sector = SectorFactory(slug=f"test-{group}", name=f"Test {group}", stakeholder_group=group)
    return UserFactory(organisation=OrganisationFactory(sector=sector), **kwargs)


class CoCreationProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cocreation.CoCreationProcess"

    forum = factory.LazyFunction(default_forum)
    title = factory.Sequence(lambda n: f"Co-creation of action plan {n}")
    slug = factory.Sequence(lambda n: f"process-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cocreation.Theme"

    process = factory.SubFactory(CoCreationProcessFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cocreation.Workshop"

    process = factory.SubFactory(CoCreationProcessFactory)
    theme = factory.SubFactory(ThemeFactory, process=factory.SelfAttribute("..process"))
    title = factory.Sequence(lambda n: f"Workshop {n}")
    status = "published"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    announced_at = factory.LazyAttribute(
        lambda o: None if o.status == "draft" else o.starts_at - timedelta(days=30)
    )
    time_zone = "Europe/Athens"
    venue = "Athens, Ministry of Digital Governance, room 2"
    capacity = factory.LazyAttribute(lambda o: o.government_quota + o.non_government_quota)
    government_quota = 2
    non_government_quota = 2


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed seat in the member's own group's quota (bypasses the allocation)."""

    class Meta:
        model = "cocreation.Registration"

    workshop = factory.SubFactory(WorkshopFactory)
    member = factory.LazyAttribute(lambda o: member_of(o.group))
    stakeholder_group = factory.SelfAttribute("group")
    seat_group = factory.SelfAttribute("group")
    status = "confirmed"

    class Params:
        group = StakeholderGroup.GOVERNMENT


def seat_give(member, *, forum=None, co_chair=False, **fields) -> ForumSeat:
    """A seat on `forum`'s body (the default forum's) for `member`, in their organisation's
    group, from a year ago."""
    return ForumSeat.objects.create(
        forum=forum or default_forum(),
        member=member,
        organisation=member.organisation,
        stakeholder_group=member.organisation.sector.stakeholder_group,
        term_start=fields.pop("term_start", timezone.localdate() - timedelta(days=365)),
        co_chair=co_chair,
        **fields,
    )


from tests.factories.actionplans import (  # noqa: E402
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
)

__all__ = [
    "DEFAULT_PASSWORD",
    "ForumFactory",
    "default_forum",
    "role_give",
    "seat_give",
    "ActionPlanFactory",
    "CoCreationProcessFactory",
    "CommitmentFactory",
    "MilestoneFactory",
    "OrganisationFactory",
    "RegistrationFactory",
    "SectorFactory",
    "ThemeFactory",
    "UserFactory",
    "WorkshopFactory",
    "member_of",
]
