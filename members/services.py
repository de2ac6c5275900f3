"""Membership decisions. Each is recorded on the member (who decided, when, why) and the
member is told by e-mail, in their language, through the notification service. And the
making of a forum, by the site administrator."""

from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.audit.services import audit_record
from core.errors import ForumError, require
from core.notifications.services import notification_send
from core.personal_data import personal_data_erase
from members import notices, permissions, roles, selectors
from members.models import (
    Forum,
    ForumRole,
    ForumSeat,
    MembershipStatus,
    Organisation,
    StakeholderGroup,
    User,
)


class MembershipError(ForumError):
    """A decision that cannot be taken; the message is for the secretariat."""


AWAITING_DECISION = (MembershipStatus.PENDING, MembershipStatus.INFORMATION_REQUESTED)


def _decide(
    *,
    member: User,
    status: str,
    note: str,
    by: User,
    kind: str,
    context: dict,
    verify_organisation: bool = False,
) -> User:
    """Lock the member, check they still wait for a decision, then write the decision, its
    audit row and the notification in one transaction. Two secretariat members deciding at
    the same moment (or a double click) cannot both succeed and send two e-mails."""
    now = timezone.now()
    with transaction.atomic():
        member = (
            User.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=member.pk)
        )
        if not member.is_active or member.membership_status not in AWAITING_DECISION:
            raise MembershipError(
                _("%(member)s is no longer waiting for a decision (now: %(status)s).")
                % {"member": member, "status": member.get_membership_status_display()}
            )
        if verify_organisation and not member.organisation.verified:
            # A proposed organisation is approved with its first member.
            member.organisation.verified = True
            member.organisation.save(update_fields=["verified"])
        audit_record(
            actor=by,
            action=f"membership.{status}",
            about=member,
            before=member.membership_status,
            after=status,
            note=note,
        )
        member.membership_status = status
        member.membership_note = note
        member.membership_decided_at = now
        member.membership_decided_by = by
        member.save(
            update_fields=[
                "membership_status",
                "membership_note",
                "membership_decided_at",
                "membership_decided_by",
            ]
        )
        notification_send(
            kind=kind,
            recipient=member,
            about=member,
            context=context,
            dedup_key=f"{kind}:{member.pk}:{now.isoformat()}",
        )
    return member


def membership_approve(*, member: User, by: User) -> User:
    if member.organisation_id is None:
        raise MembershipError(
            _("%(member)s has no organisation yet: ask for more information instead.")
            % {"member": member}
        )
    return _decide(
        member=member,
        status=MembershipStatus.APPROVED,
        note="",
        by=by,
        kind=notices.MEMBERSHIP_APPROVED,
        context={"url": reverse("members:my_forum")},
        verify_organisation=True,
    )


def membership_reject(*, member: User, reason: str, by: User) -> User:
    if not reason.strip():
        raise MembershipError(_("Give the reason: the person receives it."))
    return _decide(
        member=member,
        status=MembershipStatus.REJECTED,
        note=reason.strip(),
        by=by,
        kind=notices.MEMBERSHIP_REJECTED,
        context={"reason": reason.strip()},
    )


def membership_request_information(*, member: User, question: str, by: User) -> User:
    if not question.strip():
        raise MembershipError(_("Write the question for the member."))
    return _decide(
        member=member,
        status=MembershipStatus.INFORMATION_REQUESTED,
        note=question.strip(),
        by=by,
        kind=notices.MEMBERSHIP_INFORMATION_REQUESTED,
        context={"question": question.strip()},
    )


def member_signup_complete(
    *,
    member: User,
    full_name: str,
    organisation,
    new_organisation_name: str,
    new_organisation_sector,
    new_organisation_country: str,
    position: str,
    preferred_language: str,
    self_described_gender: str,
    privacy_consent: bool,
) -> User:
    """Store what the sign-up form asked. A proposed organisation waits, unverified, and is
    approved together with its first member."""

    with transaction.atomic():
        if organisation is None:
            organisation, _created = Organisation.objects.get_or_create(
                name=new_organisation_name.strip(),
                country=new_organisation_country,
                defaults={"sector": new_organisation_sector, "verified": False},
            )
        member.full_name = full_name.strip()
        member.organisation = organisation
        member.position = position.strip()
        member.preferred_language = preferred_language
        member.self_described_gender = self_described_gender.strip()
        member.privacy_consented_at = timezone.now() if privacy_consent else None
        member.save()
    return member


def member_language_set(*, member: User, language: str) -> User:
    """Store the language a member chose (with the language switcher or in the profile):
    pages and e-mails then come in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of the portal's languages")
    if member.preferred_language != language:
        member.preferred_language = language
        member.save(update_fields=["preferred_language"])
    return member


def member_delete(*, member: User) -> None:
    """Delete an account at the member's request. Every app erases what it holds on the
    member (core.personal_data): places and seats to come are cancelled, which moves the
    first person waiting up and tells them; what is public stays, signed "former member"
    (contributions, comments); everything personal is removed, the account last."""
    personal_data_erase(member=member)


def member_account_erase(*, member: User) -> None:
    """members' part of deleting an account: the e-mail addresses, the API token, the
    secretariat's words about the person, the name and the password go; the row stays, so
    that what the member wrote in public is signed "former member"."""

    EmailAddress.objects.filter(user=member).delete()
    Token.objects.filter(user=member).delete()
    member.email = f"deleted-{member.pk}@deleted.invalid"
    member.full_name = ""
    member.position = ""
    member.self_described_gender = ""
    member.membership_note = ""
    # The audit entries stay (who decided what, when), but not the words about the person.
    for entry in selectors.membership_decisions(member=member):
        entry.data = {**entry.data, "note": ""}
        entry.save(update_fields=["data"])
    member.is_active = False
    member.is_staff = False
    member.set_unusable_password()
    member.save()
    member.groups.clear()


# --- Forums ----------------------------------------------------------------------------------


class ForumCreateError(ForumError):
    """A forum that cannot be made as asked. `fields` maps each field of the form (the
    Forum's fields, "secretariat", "government_co_chair", "non_government_co_chair") to
    its messages, to be shown beside it."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields
        super().__init__(" ".join(message for messages in fields.values() for message in messages))


# /forums/<slug>/ addresses that are not a forum's.
RESERVED_FORUM_SLUGS = {"new"}


def co_chair_field(group: str) -> str:
    """The form field naming `group`'s co-chair: government_co_chair, non_government_co_chair."""
    return f"{group}_co_chair"


def _forum_errors(*, forum: Forum, secretariat, co_chairs) -> dict[str, list[str]]:
    """Every reason the forum cannot be made as asked, by field; nothing is written."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    try:
        forum.full_clean(validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                add(field, message)
    if forum.slug in RESERVED_FORUM_SLUGS:
        add("slug", _("This short name is kept for the portal's own pages: choose another."))
    elif forum.slug and Forum.objects.filter(slug=forum.slug).exists():
        add("slug", _("Another forum already has this short name: choose another."))
    if not secretariat:
        add("secretariat", _("Name at least one member of the secretariat."))
    for member in secretariat:
        if not member.is_active or member.membership_status != MembershipStatus.APPROVED:
            add(
                "secretariat",
                _("%(member)s is not an approved member yet.") % {"member": member.email},
            )
    for group, member in co_chairs.items():
        field = co_chair_field(group)
        if not member.is_active or member.membership_status != MembershipStatus.APPROVED:
            add(field, _("%(member)s is not an approved member yet.") % {"member": member.email})
        elif member.organisation_id is None:
            add(field, _("%(member)s has no organisation.") % {"member": member.email})
        elif member.organisation.sector.stakeholder_group != group:
            add(
                field,
                _(
                    "%(member)s's organisation, %(organisation)s, is in the other stakeholder "
                    "group: the %(group)s co-chair comes from an organisation of that group."
                )
                % {
                    "member": member.email,
                    "organisation": member.organisation,
                    "group": StakeholderGroup(group).label.lower(),
                },
            )
    return errors


def forum_create(
    *,
    fields: dict,
    secretariat: list[User],
    co_chairs: dict[str, User],
    by: User,
    term_start: date | None = None,
) -> Forum:
    """Make a forum (the site administrator only): its fields (name, slug, kind, country,
    region, parent, description), its secretariat (approved members, who also join the
    "secretariat" group for the administration's permissions) and, optionally, its two
    co-chairs ({stakeholder group: member}, each from an organisation of their group) with
    open seats on its body from `term_start` (today without one). All of it or nothing:
    any reason not to is raised as `ForumCreateError`, by field, before anything is
    written."""

    require(permissions.can_create_forum(by), _("Only the site administrator creates forums."))
    forum = Forum(**fields)
    secretariat = list(dict.fromkeys(secretariat))  # one role each, however often named
    errors = _forum_errors(forum=forum, secretariat=secretariat, co_chairs=co_chairs)
    if errors:
        raise ForumCreateError(errors)
    term_start = term_start or timezone.localdate()
    try:
        with transaction.atomic():
            forum.save()
            ForumRole.objects.bulk_create(
                [ForumRole(forum=forum, member=m, role=roles.SECRETARIAT) for m in secretariat]
            )
            group, _created = Group.objects.get_or_create(name=roles.SECRETARIAT)
            group.user_set.add(*secretariat)
            for stakeholder_group, member in co_chairs.items():
                ForumSeat.objects.create(
                    forum=forum,
                    member=member,
                    organisation=member.organisation,
                    stakeholder_group=stakeholder_group,
                    term_start=term_start,
                    co_chair=True,
                )
            audit_record(
                actor=by,
                action="forum.create",
                about=forum,
                name=forum.name,
                slug=forum.slug,
                kind=forum.kind,
                parent=forum.parent.slug if forum.parent else None,
                secretariat=", ".join(m.email for m in secretariat),
                co_chairs=", ".join(
                    f"{group}: {member.email}" for group, member in co_chairs.items()
                ),
                term_start=term_start if co_chairs else None,
            )
    except IntegrityError:
        # Another forum took the short name between the check and the save.
        raise ForumCreateError(
            {"slug": [str(_("Another forum already has this short name: choose another."))]}
        ) from None
    for member in secretariat:  # roles cached on the objects (members.permissions)
        if hasattr(member, "_forum_roles"):
            del member._forum_roles
    return forum
