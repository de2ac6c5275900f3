from datetime import date, timedelta

import factory
from django.utils import timezone

from actionplans.models import CommitmentVersion
from actionplans.services import commitment_snapshot
from tests.factories import OrganisationFactory, default_forum


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.ActionPlan"

    forum = factory.LazyFunction(default_forum)
    title = factory.Sequence(lambda n: f"{n + 1}th National Action Plan 2026-2028")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    country = "GR"
    number = factory.Sequence(lambda n: n + 1)
    period_start = date(2026, 9, 1)
    period_end = date(2028, 8, 31)
    language = "en"
    status = "drafting"
    vision = "An open, accountable and participatory administration."
    efforts_to_date = "Four action plans since 2012."
    development = "Eight workshops with 240 participants from both stakeholder groups."

    class Params:
        in_consultation = factory.Trait(
            status="consultation",
            consultation_opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
            consultation_closes_at=factory.LazyFunction(
                lambda: timezone.now() + timedelta(days=11)
            ),
        )


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Commitment"
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Open data on public procurement {n}")
    summary = "Publish every contract in an open format."
    problem = "Contracts are published as scanned PDFs."
    description = "A procurement portal with open data."
    solution = "Machine-readable data lets anyone follow public spending."
    transparency = True
    civic_participation = False
    public_accountability = True
    values_relevance = "Citizens can see and question how public money is spent."
    lead_agency = factory.SubFactory(OrganisationFactory)
    contact_name = "Eleni Papadopoulou"
    contact_email = "contact@example.org"
    start_date = date(2026, 9, 1)
    end_date = date(2028, 6, 30)
    status = "draft"

    @factory.post_generation
    def co_drafters(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_drafters.set(extracted)

    @factory.post_generation
    def first_version(self, create, extracted, **kwargs):
        if create:
            CommitmentVersion.objects.create(
                commitment=self, number=self.version, fields=commitment_snapshot(self)
            )


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Milestone"

    commitment = factory.SubFactory(CommitmentFactory)
    position = factory.Sequence(lambda n: n + 1)
    activity = factory.Sequence(lambda n: f"Publish the procurement data set, part {n}")
    deliverable = "An open data set on the national portal"
    start_date = date(2026, 9, 1)
    end_date = date(2027, 6, 30)
    completion = "not_started"
