"""Records the forum-health checks read: contributions and their responses, minutes,
repository documents."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import UserFactory, WorkshopFactory, default_forum
from tests.factories.actionplans import ActionPlanFactory


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cocreation.Contribution"

    workshop = factory.SubFactory(WorkshopFactory)
    author = factory.SubFactory(UserFactory)
    kind = "idea"
    title = factory.Sequence(lambda n: f"Publish budget data monthly {n}")
    text = "Monthly, machine-readable budget execution data."
    status = "published"


class ReasonedResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cocreation.ReasonedResponse"

    contribution = factory.SubFactory(ContributionFactory)
    disposition = "not_taken_forward"
    explanation = "Out of the plan's scope; passed to the Ministry of Finance."
    responded_at = factory.LazyFunction(timezone.now)


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cocreation.Minutes"

    workshop = factory.SubFactory(WorkshopFactory)
    text = "<p>Agreed: two commitments on open budgets.</p>"
    published_at = factory.LazyFunction(timezone.now)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Document"

    plan = factory.SubFactory(ActionPlanFactory)
    kind = "progress_report"
    title = factory.Sequence(lambda n: f"Self-assessment report {n}")
    url = "https://example.org/report.pdf"
    added_at = factory.LazyFunction(timezone.now)


class PastMeetingFactory(factory.django.DjangoModelFactory):
    """A meeting the forum held outside the portal, as its secretariat recorded it."""

    class Meta:
        model = "cocreation.PastMeeting"

    forum = factory.LazyFunction(default_forum)
    kind = "forum_meeting"
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    title = factory.Sequence(lambda n: f"Plenary of the forum {n}")
    minutes_url = factory.Sequence(lambda n: f"https://opengov.example.org/minutes/{n}.pdf")
