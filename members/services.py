"""Membership decisions. Each is recorded on the member (who decided, when, why) and the
member is told by e-mail, in their language, through the notification service. And the
making of a forum, by the site administrator."""

from datetime import date, timedelta

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.audit.services import audit_record
from core.errors import ForumError, NotAllowed, require
from core.notifications.models import Notification
from core.notifications.services import Addressee, notification_send
from core.personal_data import personal_data_erase
from members import notices, permissions, roles, selectors
from members.invitations import InvitationLinkInvalid, invitation_nonce, invitation_token_read
from members.models import (
    Forum,
    ForumRole,
    ForumSeat,
    Invitation,
    MembershipStatus,
    Organisation,
    OrganisationChange,
    Sector,
    StakeholderGroup,
    User,
    email_is,
)
from members.organisation_changes import organisation_change_hooks
from members.voices import gender_canonical


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
    sector: Sector | None = None,
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
            # A proposed organisation is approved with its first member, in the sector the
            # secretariat confirmed (the sector decides the stakeholder group).
            _organisation_verified(organisation=member.organisation, sector=sector, by=by)
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


def membership_approve(*, member: User, by: User, sector: Sector | None = None) -> User:
    """Approve `member`; a proposed organisation of theirs is verified with them, in `sector`
    when the secretariat changed it."""
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
        sector=sector,
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
        # The e-mail links the page where the member answers (members:membership_reply).
        context={"question": question.strip(), "url": reverse("members:membership_reply")},
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
    gender: str = "",
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
        member.gender = gender_canonical(choice=gender, text=member.self_described_gender)
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
    invitations_erase(member=member, email=member.email)
    member.email = f"deleted-{member.pk}@deleted.invalid"
    member.full_name = ""
    member.position = ""
    member.self_described_gender = ""
    member.gender = ""
    member.membership_note = ""
    member.membership_reply = ""
    # The audit entries stay (who decided what, when), but not the words about the person.
    for entry in selectors.membership_decisions(member=member):
        entry.data = {**entry.data, "note": "", "question": "", "reply": ""}
        entry.save(update_fields=["data"])
    for entry in selectors.organisation_change_decisions(member=member):
        entry.data = {**entry.data, "reason": ""}
        entry.save(update_fields=["data"])
    OrganisationChange.objects.filter(member=member).delete()
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


# --- The forum's body, in its back office ---------------------------------------------------


class BodyError(ForumError):
    """A seat or role change that cannot be made as asked. `fields` maps the form's fields to
    their messages, to be shown beside them (empty: the message is for the whole form)."""

    def __init__(self, message="", *, field: str | None = None):
        super().__init__(message)
        self.fields = {field: [str(message)]} if field else {}


def _body_require(forum: Forum, by: User) -> None:
    require(permissions.can_run_forum(by, forum), _("Only the forum's secretariat does this."))


def _seat_holder_check(*, member: User, field: str = "member") -> str:
    """The stakeholder group `member` sits in (their organisation's), or why they cannot sit."""
    if not member.is_active or member.membership_status != MembershipStatus.APPROVED:
        raise BodyError(
            _("%(member)s is not an approved member yet.") % {"member": member.email},
            field=field,
        )
    if member.organisation_id is None:
        raise BodyError(
            _("%(member)s has no organisation.") % {"member": member.email}, field=field
        )
    return member.organisation.sector.stakeholder_group


def _alternate_check(*, alternate: User | None, member_pk: int) -> None:
    if alternate is None:
        return
    if alternate.pk == member_pk:
        raise BodyError(_("A member cannot be their own alternate."), field="alternate")
    if not alternate.is_active or alternate.membership_status != MembershipStatus.APPROVED:
        raise BodyError(
            _("%(member)s is not an approved member yet.") % {"member": alternate.email},
            field="alternate",
        )


def _open_co_chair(forum: Forum, group: str, *, lock: bool = False) -> ForumSeat | None:
    seats = ForumSeat.objects.filter(
        forum=forum, stakeholder_group=group, co_chair=True, term_end__isnull=True
    )
    if lock:
        seats = seats.select_for_update()
    return seats.first()


def _seat_state(seat: ForumSeat) -> dict:
    return {
        "term_end": seat.term_end,
        "alternate": seat.alternate.email if seat.alternate else None,
        "voting": seat.voting,
        "co_chair": seat.co_chair,
    }


def seat_add(
    *,
    forum: Forum,
    member: User,
    term_start: date,
    term_end: date | None = None,
    alternate: User | None = None,
    voting: bool = True,
    co_chair: bool = False,
    by: User,
) -> ForumSeat:
    """Give `member` a seat on `forum`'s body, for their organisation and its group. A new
    co-chair while the group has one is refused: replace the co-chair instead."""
    _body_require(forum, by)
    group = _seat_holder_check(member=member)
    if term_end is not None and term_end < term_start:
        raise BodyError(_("The term cannot end before it starts."), field="term_end")
    _alternate_check(alternate=alternate, member_pk=member.pk)
    with transaction.atomic():
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        if co_chair and term_end is None and _open_co_chair(forum, group):
            raise BodyError(
                _(
                    "The %(group)s group already has a co-chair: replace them with "
                    "“Replace a co-chair”."
                )
                % {"group": StakeholderGroup(group).label.lower()},
                field="co_chair",
            )
        seat = ForumSeat.objects.create(
            forum=forum,
            member=member,
            organisation=member.organisation,
            stakeholder_group=group,
            term_start=term_start,
            term_end=term_end,
            alternate=alternate,
            voting=voting,
            co_chair=co_chair,
        )
        audit_record(
            actor=by,
            action="seat.add",
            about=seat,
            forum=forum.slug,
            member=member.email,
            organisation=member.organisation.name,
            term_start=term_start,
            **_seat_state(seat),
        )
    return seat


def seat_update(
    *, seat: ForumSeat, term_end: date | None, alternate: User | None, voting: bool, by: User
) -> ForumSeat:
    """Change a seat's term end, alternate and voting right."""
    _body_require(seat.forum, by)
    if term_end is not None and term_end < seat.term_start:
        raise BodyError(_("The term cannot end before it starts."), field="term_end")
    _alternate_check(alternate=alternate, member_pk=seat.member_id)
    with transaction.atomic():
        # of=self: PostgreSQL locks no row on the nullable side of the join to the alternate.
        seat = (
            ForumSeat.objects.select_for_update(of=("self",))
            .select_related("alternate")
            .get(pk=seat.pk)
        )
        before = _seat_state(seat)
        if (
            seat.co_chair
            and seat.term_end is not None
            and term_end is None
            and _open_co_chair(seat.forum, seat.stakeholder_group)
        ):
            raise BodyError(
                _("The group has another co-chair now: this seat's term cannot reopen."),
                field="term_end",
            )
        seat.term_end, seat.alternate, seat.voting = term_end, alternate, voting
        seat.save(update_fields=["term_end", "alternate", "voting"])
        audit_record(
            actor=by, action="seat.update", about=seat, before=before, after=_seat_state(seat)
        )
    return seat


def seat_end(*, seat: ForumSeat, by: User, on: date | None = None) -> ForumSeat:
    """End a seat's term on `on` (today by default; never before the term started)."""
    _body_require(seat.forum, by)
    on = on or timezone.localdate()
    with transaction.atomic():
        seat = ForumSeat.objects.select_for_update().get(pk=seat.pk)
        if seat.term_end is not None and seat.term_end <= on:
            raise BodyError(_("This seat's term has already ended."))
        before = seat.term_end
        seat.term_end = max(on, seat.term_start)
        seat.save(update_fields=["term_end"])
        audit_record(actor=by, action="seat.end", about=seat, before=before, after=seat.term_end)
    return seat


def co_chair_replace(
    *, forum: Forum, stakeholder_group: str, member: User, by: User, end_seat: bool = False
) -> ForumSeat:
    """Make `member` the co-chair of `stakeholder_group` on `forum`'s body in one step: the
    current co-chair loses the co-chair's flag (or, with `end_seat`, their seat's term ends
    yesterday, so the seat stays in the record as a co-chair's), then `member`'s open seat in
    the group becomes the co-chair's (a new seat from today without one). All of it in one
    transaction, the current co-chair first: the one-co-chair-per-group constraint never
    fires. A member from the other group is refused beside the field."""
    _body_require(forum, by)
    if stakeholder_group not in StakeholderGroup.values:
        raise BodyError(_("Choose a stakeholder group."), field="stakeholder_group")
    group = _seat_holder_check(member=member)
    if group != stakeholder_group:
        raise BodyError(
            _(
                "%(member)s's organisation, %(organisation)s, is in the other stakeholder "
                "group: the %(group)s co-chair comes from an organisation of that group."
            )
            % {
                "member": member.email,
                "organisation": member.organisation,
                "group": StakeholderGroup(stakeholder_group).label.lower(),
            },
            field="member",
        )
    today = timezone.localdate()
    with transaction.atomic():
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        current = _open_co_chair(forum, stakeholder_group, lock=True)
        if current is not None and current.member_id == member.pk:
            raise BodyError(
                _("%(member)s is already this group's co-chair.") % {"member": member.email},
                field="member",
            )
        if current is not None:
            if end_seat:
                current.term_end = max(today - timedelta(days=1), current.term_start)
                current.save(update_fields=["term_end"])
            else:
                current.co_chair = False
                current.save(update_fields=["co_chair"])
        seat = (
            ForumSeat.objects.select_for_update()
            .filter(forum=forum, member=member, stakeholder_group=stakeholder_group)
            .filter(term_start__lte=today)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
            .order_by("-term_start", "-pk")
            .first()
        )
        if seat is None:
            seat = ForumSeat.objects.create(
                forum=forum,
                member=member,
                organisation=member.organisation,
                stakeholder_group=stakeholder_group,
                term_start=today,
                co_chair=True,
            )
        else:
            seat.co_chair, seat.term_end = True, None
            seat.save(update_fields=["co_chair", "term_end"])
        audit_record(
            actor=by,
            action="seat.co_chair_replace",
            about=seat,
            forum=forum.slug,
            group=stakeholder_group,
            before=current.member.email if current else None,
            after=member.email,
            previous_seat_ended=bool(current and end_seat),
        )
    return seat


def _roles_forget(member: User) -> None:
    if hasattr(member, "_forum_roles"):  # roles cached on the object (members.permissions)
        del member._forum_roles


def forum_role_give(*, forum: Forum, member: User, role: str, by: User) -> ForumRole:
    """Name `member` secretariat or facilitator of `forum`. Nothing else: no one becomes
    staff or superuser here."""
    _body_require(forum, by)
    if role not in ForumRole.Role.values:
        raise BodyError(_("Choose secretariat or facilitator."), field="role")
    if not member.is_active or member.membership_status != MembershipStatus.APPROVED:
        raise BodyError(
            _("%(member)s is not an approved member yet.") % {"member": member.email},
            field="email",
        )
    with transaction.atomic():
        held, created = ForumRole.objects.get_or_create(forum=forum, member=member, role=role)
        if not created:
            raise BodyError(
                _("%(member)s already has this role.") % {"member": member.email}, field="email"
            )
        if role == roles.SECRETARIAT:
            # The administration's permissions come with the group (members.roles).
            group, _created = Group.objects.get_or_create(name=roles.SECRETARIAT)
            group.user_set.add(member)
        audit_record(
            actor=by, action="forum_role.give", about=forum, member=member.email, role=role
        )
    _roles_forget(member)
    return held


def forum_role_remove(*, held: ForumRole, by: User) -> None:
    """Take a role away. The forum keeps at least one secretariat member: the last one
    cannot remove their own role."""
    forum = held.forum
    _body_require(forum, by)
    with transaction.atomic():
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        held = ForumRole.objects.select_related("member").filter(pk=held.pk).first()
        if held is None:
            raise BodyError(_("This role has already been removed."))
        if (
            held.role == roles.SECRETARIAT
            and not ForumRole.objects.filter(forum=forum, role=roles.SECRETARIAT)
            .exclude(pk=held.pk)
            .exists()
        ):
            raise BodyError(
                _("%(member)s is the forum's only secretariat member: name another one first.")
                % {"member": held.member.email}
            )
        member = held.member
        held.delete()
        if (
            held.role == roles.SECRETARIAT
            and not ForumRole.objects.filter(member=member, role=roles.SECRETARIAT).exists()
        ):
            member.groups.remove(*Group.objects.filter(name=roles.SECRETARIAT))
        audit_record(
            actor=by, action="forum_role.remove", about=forum, member=member.email, role=held.role
        )
    _roles_forget(member)


# --- Organisations and the membership queue, in the back office -----------------------------


def _organisations_require(by: User) -> None:
    require(
        permissions.can_decide_memberships(by),
        _("Only the secretariat of a forum manages organisations."),
    )


def organisation_verify(
    *, organisation: Organisation, by: User, sector: Sector | None = None
) -> Organisation:
    """Mark an organisation as checked by the secretariat, in the sector it confirmed
    (`sector`, or the one proposed): it is no longer new, and from now on everyone sees it
    (selectors.organisations_visible_to)."""
    _organisations_require(by)
    with transaction.atomic():
        organisation = (
            Organisation.objects.select_for_update()
            .select_related("sector")
            .get(pk=organisation.pk)
        )
        if organisation.verified:
            raise BodyError(_("%(name)s is already verified.") % {"name": organisation})
        _organisation_verified(organisation=organisation, sector=sector, by=by)
    return organisation


def _sector_move_check(organisation: Organisation, sector: Sector) -> None:
    """Refuse (BodyError) to move `organisation` to a sector of the other stakeholder group
    while it holds a seat in force on a forum's body: the seat keeps the group it was given."""
    if (
        sector.stakeholder_group != organisation.sector.stakeholder_group
        and organisation.forum_seats.filter(
            Q(term_end__isnull=True) | Q(term_end__gte=timezone.localdate())
        ).exists()
    ):
        raise BodyError(
            _(
                "%(name)s holds seats on a forum's body in its stakeholder group: end them "
                "before moving it to the other group."
            )
            % {"name": organisation},
            field="sector",
        )


def _organisation_verified(*, organisation: Organisation, sector: Sector | None, by: User):
    """Verify a locked, unverified organisation, moving it to `sector` first if it differs;
    audited. Like organisation_sector_set, the other group is refused while it holds a seat."""
    if sector is not None and sector.pk != organisation.sector_id:
        _sector_move_check(organisation, sector)
        audit_record(
            actor=by,
            action="organisation.sector",
            about=organisation,
            before=organisation.sector.name,
            after=sector.name,
        )
        organisation.sector = sector
    organisation.verified = True
    organisation.save(update_fields=["verified", "sector"])
    audit_record(actor=by, action="organisation.verify", about=organisation)


def organisation_sector_set(*, organisation: Organisation, sector: Sector, by: User):
    """Move an organisation to another sector. Its seats keep the group they were given: a
    sector of the other group is refused while it holds a seat in force."""
    _organisations_require(by)
    with transaction.atomic():
        organisation = (
            Organisation.objects.select_for_update()
            .select_related("sector")
            .get(pk=organisation.pk)
        )
        before = organisation.sector
        if before.pk == sector.pk:
            return organisation
        _sector_move_check(organisation, sector)
        organisation.sector = sector
        organisation.save(update_fields=["sector"])
        audit_record(
            actor=by,
            action="organisation.sector",
            about=organisation,
            before=before.name,
            after=sector.name,
        )
    return organisation


def organisation_merge(*, duplicate: Organisation, into: Organisation, by: User) -> Organisation:
    """Merge `duplicate` into `into`: its members, seats and everything else that points to
    it (what the apps above hold too, found through the model's relations) move to `into`,
    then `duplicate` is deleted. All of it in one transaction, audited."""
    _organisations_require(by)
    if duplicate.pk == into.pk:
        raise BodyError(_("Choose another organisation to merge into."), field="into")
    with transaction.atomic():
        locked = {
            o.pk: o
            for o in Organisation.objects.select_for_update()
            .select_related("sector")
            .filter(pk__in=[duplicate.pk, into.pk])
        }
        if len(locked) != 2:
            raise BodyError(_("This organisation no longer exists."))
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        if (
            duplicate.sector.stakeholder_group != into.sector.stakeholder_group
            and duplicate.forum_seats.exists()
        ):
            raise BodyError(
                _(
                    "%(duplicate)s holds seats in the other stakeholder group than %(into)s: "
                    "end or move its seats first."
                )
                % {"duplicate": duplicate, "into": into},
                field="into",
            )
        moved = {}
        for relation in Organisation._meta.related_objects:
            accessor = relation.get_accessor_name()
            if relation.many_to_many:
                for record in relation.related_model.objects.filter(
                    **{relation.field.name: duplicate}
                ):
                    getattr(record, relation.field.name).add(into)
                    getattr(record, relation.field.name).remove(duplicate)
                    moved[accessor] = moved.get(accessor, 0) + 1
            elif relation.one_to_many or relation.one_to_one:
                count = relation.related_model._base_manager.filter(
                    **{relation.field.name: duplicate}
                ).update(**{relation.field.name: into})
                if count:
                    moved[accessor] = count
        if duplicate.verified and not into.verified:
            into.verified = True
            into.save(update_fields=["verified"])
        audit_record(
            actor=by,
            action="organisation.merge",
            about=into,
            duplicate=duplicate.name,
            duplicate_id=duplicate.pk,
            duplicate_country=str(duplicate.country),
            moved=", ".join(f"{name}: {count}" for name, count in sorted(moved.items())),
        )
        duplicate.delete()
    return into


def membership_reply(*, member: User, reply: str) -> User:
    """The member answers the secretariat's question: their request goes back to the queue
    (waiting for approval), the answer shown beside the question."""
    if not reply.strip():
        raise BodyError(_("Write your answer."), field="reply")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.membership_status != MembershipStatus.INFORMATION_REQUESTED:
            raise BodyError(_("The secretariat has not asked you anything."))
        audit_record(
            actor=member,
            action="membership.reply",
            about=member,
            before=member.membership_status,
            after=MembershipStatus.PENDING,
            question=member.membership_note,
            reply=reply.strip(),
        )
        member.membership_status = MembershipStatus.PENDING
        member.membership_reply = reply.strip()
        member.save(update_fields=["membership_status", "membership_reply"])
    return member


# --- A member's change of organisation -------------------------------------------------------


class OrganisationChangeError(ForumError):
    """A change of organisation that cannot be asked for or decided as asked."""


def _group_of(organisation: Organisation | None) -> str:
    return organisation.sector.stakeholder_group if organisation is not None else ""


def member_organisation_set(
    *, member: User, organisation: Organisation
) -> OrganisationChange | None:
    """A member chooses another organisation (on their profile). The organisation decides the
    stakeholder group, the seats the member takes from its quota and what they may do for
    the organisation, so an approved member only asks: the request waits for the
    secretariat and nothing changes until it approves it. A member not yet approved changes
    it at once (the secretariat sees it when deciding on the membership). Choosing the
    current organisation again withdraws the request waiting. Returns the request waiting,
    if any."""
    if organisation is None:
        raise OrganisationChangeError(_("Choose your organisation."))
    now = timezone.now()
    with transaction.atomic():
        member = (
            User.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=member.pk)
        )
        if member.membership_status != MembershipStatus.APPROVED:
            if member.organisation_id != organisation.pk:
                audit_record(
                    actor=member,
                    action="member.organisation",
                    about=member,
                    before=member.organisation.name if member.organisation else "",
                    after=organisation.name,
                )
                member.organisation = organisation
                member.save(update_fields=["organisation"])
            return None
        pending = (
            OrganisationChange.objects.select_for_update()
            .filter(member=member, status=OrganisationChange.Status.PENDING)
            .first()
        )
        if pending is not None and pending.organisation_id == organisation.pk:
            return pending
        if pending is not None:
            pending.status = OrganisationChange.Status.WITHDRAWN
            pending.decided_at = now
            pending.save(update_fields=["status", "decided_at"])
            audit_record(
                actor=member,
                action="organisation_change.withdrawn",
                about=member,
                change=pending.pk,
                after=pending.organisation.name,
            )
        if organisation.pk == member.organisation_id:
            return None
        change = OrganisationChange.objects.create(
            member=member,
            organisation_before=member.organisation,
            organisation=organisation,
            requested_at=now,
        )
        audit_record(
            actor=member,
            action="organisation_change.requested",
            about=member,
            change=change.pk,
            before=member.organisation.name if member.organisation else "",
            after=organisation.name,
        )
    return change


def member_profile_update(
    *,
    member: User,
    full_name: str,
    organisation: Organisation | None,
    position: str,
    preferred_language: str,
    gender: str | None = None,
    self_described_gender: str | None = None,
) -> OrganisationChange | None:
    """Save what a member edits on their profile. Their organisation goes through
    `member_organisation_set` (a request, for an approved member). Returns the change of
    organisation waiting for the secretariat, if any. The gender (None: left as it is) is
    stored as its canonical value (members.voices), the member's own words beside it."""
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValueError(f"{preferred_language!r} is not one of the portal's languages")
    fields = {
        "full_name": full_name.strip(),
        "position": position.strip(),
        "preferred_language": preferred_language,
    }
    if gender is not None or self_described_gender is not None:
        words = (self_described_gender or "").strip()
        fields["self_described_gender"] = words
        fields["gender"] = gender_canonical(choice=gender or "", text=words)
    with transaction.atomic():
        User.objects.filter(pk=member.pk).update(**fields)
        for name, value in fields.items():
            setattr(member, name, value)
        change = None
        if organisation is not None or member.organisation_id is not None:
            change = member_organisation_set(member=member, organisation=organisation)
    member.refresh_from_db(fields=["organisation"])
    return change


def _organisation_changes_require(by: User) -> None:
    require(
        permissions.can_decide_memberships(by),
        _("Only the secretariat of a forum decides on changes of organisation."),
    )


def _change_locked(change: OrganisationChange, by: User) -> OrganisationChange:
    """The change, locked, still waiting for a decision, and not the decider's own: a member
    of the secretariat does not move themselves to another group (the site administrator
    may)."""
    if change.member_id == by.pk and not by.is_superuser:
        raise NotAllowed(_("Another member of the secretariat decides on your own change."))
    change = (
        OrganisationChange.objects.select_for_update(of=("self",))
        .select_related("organisation__sector", "member")
        .filter(pk=change.pk)
        .first()
    )
    if change is None or change.status != OrganisationChange.Status.PENDING:
        raise OrganisationChangeError(
            _("This change of organisation is no longer waiting for a decision.")
        )
    return change


def organisation_change_approve(*, change: OrganisationChange, by: User) -> OrganisationChange:
    """Approve a member's change of organisation: their organisation (and so their group)
    changes, and each app registered with members.organisation_changes does its part (the
    member's seats in workshops to come move to the new group's quota or waiting list, the
    next person waiting in the old group gets the seat). All in one transaction, audited;
    the member is told."""
    _organisation_changes_require(by)
    now = timezone.now()
    with transaction.atomic():
        change = _change_locked(change, by)
        member = (
            User.objects.select_for_update(of=("self",))
            .select_related("organisation__sector")
            .get(pk=change.member_id)
        )
        if not member.is_active:
            raise OrganisationChangeError(_("This account has been deleted."))
        before, after = member.organisation, change.organisation
        member.organisation = after
        member.save(update_fields=["organisation"])
        change.status = OrganisationChange.Status.APPROVED
        change.decided_at, change.decided_by = now, by
        change.save(update_fields=["status", "decided_at", "decided_by"])
        audit_record(
            actor=by,
            action="organisation_change.approved",
            about=member,
            change=change.pk,
            before=before.name if before else "",
            after=after.name,
            group_before=_group_of(before),
            group_after=_group_of(after),
        )
        for hook in organisation_change_hooks():
            hook(member=member, before=before, after=after, by=by)
        notification_send(
            kind=notices.ORGANISATION_CHANGE_APPROVED,
            recipient=member,
            about=member,
            context={
                "organisation": after.name,
                "group_changed": _group_of(before) != _group_of(after),
                "url": reverse("members:profile"),
            },
            dedup_key=f"organisation_change:{change.pk}",
        )
    return change


def organisation_change_decline(
    *, change: OrganisationChange, reason: str, by: User
) -> OrganisationChange:
    """Decline a member's change of organisation, with the reason the member receives:
    nothing changes."""
    _organisation_changes_require(by)
    reason = (reason or "").strip()
    if not reason:
        raise OrganisationChangeError(_("Give the reason: the member receives it."))
    with transaction.atomic():
        change = _change_locked(change, by)
        change.status = OrganisationChange.Status.DECLINED
        change.decided_at, change.decided_by, change.reason = timezone.now(), by, reason
        change.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        audit_record(
            actor=by,
            action="organisation_change.declined",
            about=change.member,
            change=change.pk,
            after=change.organisation.name,
            reason=reason,
        )
        notification_send(
            kind=notices.ORGANISATION_CHANGE_DECLINED,
            recipient=change.member,
            about=change.member,
            context={
                "organisation": change.organisation.name,
                "reason": reason,
                "url": reverse("members:profile"),
            },
            dedup_key=f"organisation_change:{change.pk}",
        )
    return change


# --- Invitations: the secretariat invites a person instead of a sign-up -----------------------


class InvitationError(ForumError):
    """An invitation that cannot be sent, resent, revoked or accepted as asked. `fields` maps
    the form's fields to their messages (empty: the message is for the whole form)."""

    def __init__(self, message="", *, field: str | None = None):
        super().__init__(message)
        self.fields = {field: [str(message)]} if field else {}


class AlreadyMember(InvitationError):
    """The address belongs to an approved member of the organisation already: nothing to
    invite them to (an import counts the row as matching an existing record)."""

    def __init__(self, message="", *, member: User):
        super().__init__(message, field="email")
        self.member = member


class InvitationLinkError(ForumError):
    """An invitation's link that does not open: `reason` says why ("invalid", "replaced",
    "expired", "revoked", "accepted"), `invitation` is the invitation when the link names
    one (its forum says whom to ask). Answered with a page of its own (4xx)."""

    status_code = 410
    INVALID, REPLACED, EXPIRED, REVOKED, ACCEPTED = (
        "invalid",
        "replaced",
        "expired",
        "revoked",
        "accepted",
    )

    def __init__(self, reason: str, invitation: Invitation | None = None):
        self.reason = reason
        self.invitation = invitation
        if reason == self.INVALID:
            self.status_code = 404
        super().__init__(_("This invitation's link does not open."))


def _invitations_require(forum: Forum, by: User) -> None:
    require(
        permissions.can_invite(by, forum),
        _("Only the forum's secretariat invites people to it."),
    )


def _invitation_notify(invitation: Invitation) -> None:
    """The invitation's e-mail, through the outbox, once the transaction commits: to the
    account when the address has one (log in and confirm), else to the address, in the
    language the secretariat gave. The link is made as the e-mail goes (members.notices)."""
    context = {
        "forum": invitation.forum.name,
        "organisation": invitation.organisation.name,
        "name": invitation.name,
        "expires_at": invitation.expires_at,
    }
    dedup_key = f"invitation:{invitation.pk}:{invitation.sent_count}"
    if invitation.user_id is not None:
        notification_send(
            kind=notices.INVITATION_LINK,
            recipient=invitation.user,
            about=invitation,
            context=context,
            dedup_key=dedup_key,
        )
    else:
        notification_send(
            kind=notices.INVITATION,
            recipient=Addressee(
                email=invitation.email, preferred_language=invitation.language, name=invitation.name
            ),
            about=invitation,
            context=context,
            dedup_key=dedup_key,
        )


def _invitation_renew(invitation: Invitation, now) -> None:
    """A new link (the older one stops working), a new expiry, and a new e-mail."""
    invitation.nonce = invitation_nonce()
    invitation.sent_at = now
    invitation.sent_count += 1
    invitation.expires_at = now + timedelta(days=settings.MEMBERS_INVITATION_DAYS)
    invitation.save(update_fields=["nonce", "sent_at", "sent_count", "expires_at"])


def invitation_send(
    *,
    forum: Forum,
    email: str,
    name: str,
    organisation: Organisation,
    language: str,
    by: User,
    seat_term_start: date | None = None,
) -> Invitation:
    """Invite a person to `forum` for `organisation` (the forum's secretariat only): one
    e-mail, in `language`, with a link to accept. Accepting makes them an approved member of
    the organisation, in its stakeholder group: the secretariat vouched for them. With
    `seat_term_start`, accepting also gives them a seat on the forum's body from that date
    (`invitation_seat_give`).

    Idempotent per forum and address: while an invitation is open (neither accepted nor
    revoked) it is returned as it is, with no second e-mail; an expired one is sent again
    with a new link. An address whose account is already an approved member of the
    organisation raises `AlreadyMember` (unless this forum's invitation made it so: that
    invitation is returned). An address with an account is invited to take part for the
    organisation instead: they log in and confirm (`invitation_link_confirm`).

    The invitation returned says whether this call sent an e-mail (`sent_now`), for a
    caller that reports what it did (the back office's message, an import's counts)."""
    _invitations_require(forum, by)
    email = (email or "").strip()
    name = " ".join((name or "").split())
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError(_("Enter a valid e-mail address."), field="email") from None
    if not name:
        raise InvitationError(_("Give the person's name."), field="name")
    if language not in dict(settings.LANGUAGES):
        raise InvitationError(_("Choose one of the portal's languages."), field="language")
    if organisation is None:
        raise InvitationError(_("Choose the person's organisation."), field="organisation")
    now = timezone.now()
    with transaction.atomic():
        # One sender at a time per forum: two imports of the same row cannot both create.
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        open_invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .open()
            .filter(email_is(email), forum=forum)
            .select_related("forum", "organisation", "user")
            .first()
        )
        if open_invitation is not None:
            open_invitation.sent_now = open_invitation.expires_at <= now
            if not open_invitation.sent_now:
                return open_invitation
            _invitation_renew(open_invitation, now)
            audit_record(
                actor=by, action="invitation.resend", about=open_invitation, forum=forum.slug
            )
            _invitation_notify(open_invitation)
            return open_invitation
        account = (
            User.objects.filter(email_is(email), is_active=True)
            .select_related("organisation")
            .first()
        )
        if (
            account is not None
            and account.organisation_id == organisation.pk
            and account.membership_status == MembershipStatus.APPROVED
        ):
            accepted = (
                Invitation.objects.filter(
                    forum=forum, user=account, organisation=organisation, accepted_at__isnull=False
                )
                .order_by("-accepted_at")
                .first()
            )
            if accepted is not None:
                accepted.sent_now = False
                return accepted
            raise AlreadyMember(
                _("%(email)s is already an approved member of %(organisation)s.")
                % {"email": email, "organisation": organisation},
                member=account,
            )
        invitation = Invitation.objects.create(
            forum=forum,
            email=email,
            name=name,
            organisation=organisation,
            language=language,
            user=account,
            nonce=invitation_nonce(),
            invited_by=by,
            created_at=now,
            sent_at=now,
            expires_at=now + timedelta(days=settings.MEMBERS_INVITATION_DAYS),
            seat_term_start=seat_term_start,
        )
        audit_record(
            actor=by,
            action="invitation.send",
            about=invitation,
            forum=forum.slug,
            organisation=organisation.name,
            existing_account=account is not None,
            seat_term_start=seat_term_start,
        )
        _invitation_notify(invitation)
    invitation.sent_now = True
    return invitation


def _invitation_locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("forum", "organisation", "user")
        .get(pk=invitation.pk)
    )


def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send the invitation again (the forum's secretariat only), with a new link and a new
    expiry: the older e-mail's link stops working."""
    _invitations_require(invitation.forum, by)
    with transaction.atomic():
        invitation = _invitation_locked(invitation)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation has been accepted already."))
        if invitation.revoked_at is not None:
            raise InvitationError(_("This invitation was revoked: invite the person again."))
        _invitation_renew(invitation, timezone.now())
        audit_record(
            actor=by, action="invitation.resend", about=invitation, forum=invitation.forum.slug
        )
        _invitation_notify(invitation)
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation not yet accepted (the forum's secretariat only): its link stops
    working. The person can be invited again."""
    _invitations_require(invitation.forum, by)
    with transaction.atomic():
        invitation = _invitation_locked(invitation)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation has been accepted already."))
        if invitation.revoked_at is not None:
            raise InvitationError(_("This invitation has been revoked already."))
        invitation.revoked_at, invitation.revoked_by, invitation.nonce = timezone.now(), by, ""
        invitation.save(update_fields=["revoked_at", "revoked_by", "nonce"])
        audit_record(
            actor=by, action="invitation.revoke", about=invitation, forum=invitation.forum.slug
        )
    return invitation


def invitation_open(*, token: str, lock: bool = False) -> Invitation:
    """The invitation a link opens, or `InvitationLinkError` saying why it does not: not one
    of ours (tampered with), replaced by a newer e-mail, expired, revoked, or used."""
    try:
        pk, nonce = invitation_token_read(token)
    except InvitationLinkInvalid:
        raise InvitationLinkError(InvitationLinkError.INVALID) from None
    invitations = Invitation.objects.select_related("forum", "organisation__sector", "user")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=pk).first()
    if invitation is None:
        raise InvitationLinkError(InvitationLinkError.INVALID)
    if invitation.revoked_at is not None:
        raise InvitationLinkError(InvitationLinkError.REVOKED, invitation)
    if invitation.accepted_at is not None:
        raise InvitationLinkError(InvitationLinkError.ACCEPTED, invitation)
    if not constant_time_compare(invitation.nonce, nonce):
        raise InvitationLinkError(InvitationLinkError.REPLACED, invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationLinkError(InvitationLinkError.EXPIRED, invitation)
    return invitation


def invitation_account(invitation: Invitation) -> User | None:
    """The account the invitation's address has now (one may have been made since it was
    sent), or None: then accepting makes one."""
    if invitation.user_id is not None and invitation.user.is_active:
        return invitation.user
    return User.objects.filter(email_is(invitation.email), is_active=True).first()


def _invited_approval(*, member: User, invitation: Invitation, now) -> str:
    """The invited member is approved: the secretariat that invited them decided. Returns
    the status before, for the audit row written once the member is saved."""
    before = member.membership_status
    member.membership_status = MembershipStatus.APPROVED
    member.membership_decided_at = now
    member.membership_decided_by = invitation.invited_by
    return before


def _invited_approval_record(*, member: User, invitation: Invitation, before: str) -> None:
    audit_record(
        actor=invitation.invited_by,
        action=f"membership.{MembershipStatus.APPROVED}",
        about=member,
        before=before,
        after=MembershipStatus.APPROVED,
        note="",
        invitation=invitation.pk,
    )


def _invitation_accepted(*, invitation, member: User, now, **audited) -> None:
    """The invitation used (its link works no more), its seat given, the acceptance audited
    with the organisation and group the member now takes part for."""
    invitation.user, invitation.accepted_at, invitation.nonce = member, now, ""
    invitation.save(update_fields=["user", "accepted_at", "nonce"])
    _invitation_seat_give(invitation=invitation, member=member)
    audit_record(
        actor=member,
        action="invitation.accept",
        about=invitation,
        forum=invitation.forum.slug,
        organisation=member.organisation.name,
        group=member.organisation.sector.stakeholder_group,
        **audited,
    )


def invitation_accept(
    *, token: str, password: str, privacy_consent: bool, full_name: str = ""
) -> User:
    """Accept an invitation sent to an address without an account: the account is made with
    `password` (the portal's password rules, allauth's), its address verified by the link,
    approved, and a member of the invitation's organisation (its stakeholder group). The link
    works once. An address that has an account (made since) is refused: log in and confirm
    (`invitation_link_confirm`)."""
    if not privacy_consent:
        raise InvitationError(
            _("Agree to the privacy notice to become a member."), field="privacy_consent"
        )
    now = timezone.now()
    with transaction.atomic():
        invitation = invitation_open(token=token, lock=True)
        if invitation_account(invitation) is not None:
            raise InvitationError(
                _("This address has an account: log in, then confirm the invitation.")
            )
        full_name = " ".join((full_name or "").split()) or invitation.name
        member = User(
            email=invitation.email,
            full_name=full_name,
            organisation=invitation.organisation,
            preferred_language=invitation.language,
            privacy_consented_at=now,
        )
        try:
            get_account_adapter().clean_password(password, user=member)
        except ValidationError as error:
            raise InvitationError(" ".join(error.messages), field="password") from None
        member.set_password(password)
        before = _invited_approval(member=member, invitation=invitation, now=now)
        member.save()
        _invited_approval_record(member=member, invitation=invitation, before=before)
        member.refresh_from_db(fields=["organisation"])  # with its sector, for the audit row
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        _invitation_accepted(invitation=invitation, member=member, now=now)
    return member


def invitation_link_confirm(*, token: str, member: User) -> User:
    """A person with an account, logged in, confirms an invitation sent to their address:
    they take part for the invitation's organisation (a member waiting for approval is
    approved; a change of organisation waiting is withdrawn, replaced by this one; an
    approved member's move to the organisation does what an approved change of organisation
    does in every app). The link works once."""
    now = timezone.now()
    with transaction.atomic():
        invitation = invitation_open(token=token, lock=True)
        if not member.is_authenticated or member.email.lower() != invitation.email.lower():
            raise NotAllowed(
                _("This invitation was sent to another address: log in with %(email)s.")
                % {"email": invitation.email}
            )
        member = (
            User.objects.select_for_update(of=("self",))
            .select_related("organisation__sector")
            .get(pk=member.pk)
        )
        before, after = member.organisation, invitation.organisation
        was_approved = member.membership_status == MembershipStatus.APPROVED
        for pending in OrganisationChange.objects.select_for_update().filter(
            member=member, status=OrganisationChange.Status.PENDING
        ):
            pending.status, pending.decided_at = OrganisationChange.Status.WITHDRAWN, now
            pending.save(update_fields=["status", "decided_at"])
            audit_record(
                actor=member,
                action="organisation_change.withdrawn",
                about=member,
                change=pending.pk,
                after=pending.organisation.name,
            )
        member.organisation = after
        if not was_approved:
            before_status = _invited_approval(member=member, invitation=invitation, now=now)
            _invited_approval_record(member=member, invitation=invitation, before=before_status)
        member.save()
        if before is None or before.pk != after.pk:
            audit_record(
                actor=member,
                action="member.organisation",
                about=member,
                before=before.name if before else "",
                after=after.name,
                invitation=invitation.pk,
            )
            if was_approved:
                for hook in organisation_change_hooks():
                    hook(member=member, before=before, after=after, by=invitation.invited_by)
        _invitation_accepted(invitation=invitation, member=member, now=now, existing_account=True)
    return member


def _invitation_seat_give(*, invitation: Invitation, member: User) -> ForumSeat | None:
    """The seat on the forum's body the invitation promised, if any, for the organisation
    and its group; none when the member already holds one of the forum in force then."""
    start = invitation.seat_term_start
    if start is None:
        return None
    organisation = invitation.organisation
    if (
        ForumSeat.objects.filter(forum=invitation.forum, member=member, term_start__lte=start)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=start))
        .exists()
    ):
        return None
    seat = ForumSeat.objects.create(
        forum=invitation.forum,
        member=member,
        organisation=organisation,
        stakeholder_group=organisation.sector.stakeholder_group,
        term_start=start,
    )
    audit_record(
        actor=invitation.invited_by,
        action="seat.add",
        about=seat,
        forum=invitation.forum.slug,
        member=member.email,
        organisation=organisation.name,
        term_start=start,
        invitation=invitation.pk,
        **_seat_state(seat),
    )
    return seat


INVITATION_DATA_DAYS = 90  # an invitation never accepted is forgotten this long after it ends


def invitations_expire(*, now=None) -> int:
    """Forget the people who never accepted: an invitation revoked, or expired, more than
    INVITATION_DATA_DAYS ago goes, with its e-mail in the outbox. Returns how many."""
    now = now or timezone.now()
    limit = now - timedelta(days=INVITATION_DATA_DAYS)
    ended = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(revoked_at__lt=limit) | Q(expires_at__lt=limit)
    )
    ids = list(ended.values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(Invitation),
        about_id__in=[str(pk) for pk in ids],
    ).delete()
    Invitation.objects.filter(pk__in=ids).delete()
    return len(ids)


def invitations_erase(*, member: User, email: str) -> None:
    """A deleted account's invitations go (those sent to its address, and the one it
    accepted), with their e-mails."""
    invitations = Invitation.objects.filter(Q(user=member) | Q(email_is(email)))
    ids = [str(pk) for pk in invitations.values_list("pk", flat=True)]
    Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(Invitation), about_id__in=ids
    ).delete()
    invitations.delete()
