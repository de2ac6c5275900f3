from django.db.models import Count

from members.models import MembershipStatus, Organisation, StakeholderGroup, User


def forum_at_a_glance() -> dict:
    """Counts for the home page: members, organisations, countries, per stakeholder group."""
    organisations_by_group = dict(
        Organisation.objects.values_list("sector__stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("sector__stakeholder_group", "n")
    )
    members_by_group = dict(
        User.objects.filter(is_active=True, organisation__isnull=False)
        .values_list("organisation__sector__stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("organisation__sector__stakeholder_group", "n")
    )
    groups = [
        {
            "label": label,
            "organisations": organisations_by_group.get(value, 0),
            "members": members_by_group.get(value, 0),
        }
        for value, label in StakeholderGroup.choices
    ]
    return {
        "members": User.objects.filter(is_active=True).count(),
        "organisations": sum(organisations_by_group.values()),
        "countries": Organisation.objects.values("country").distinct().count(),
        "groups": groups,
    }


def membership_queue():
    """Members waiting for a decision, oldest first."""
    return (
        User.objects.filter(
            is_active=True,
            membership_status__in=[
                MembershipStatus.PENDING,
                MembershipStatus.INFORMATION_REQUESTED,
            ],
        )
        .select_related("organisation__sector")
        .order_by("date_joined", "id")
    )


def my_forum(*, member) -> dict:
    """What the "my forum" page shows: my workshops and my contributions."""
    from cocreation.models import Contribution, Registration

    registrations = (
        Registration.objects.filter(member=member)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("workshop")
        .order_by("workshop__starts_at")
    )
    contributions = (
        Contribution.objects.filter(author=member)
        .select_related("workshop", "response")
        .order_by("-created_at")
    )
    return {"registrations": registrations, "contributions": contributions}
