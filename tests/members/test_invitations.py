"""Invitations instead of sign-ups (issue 31, item 2): the forum's secretariat invites a
person, who receives one e-mail in their language with a signed, single-use, expiring link,
chooses a password and arrives approved in their organisation's stakeholder group; an
address with an account links the organisation after confirming. The back office lists,
searches, filters, resends and revokes; another forum's secretariat can do none of it."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.audit.models import AuditEntry
from core.errors import NotAllowed
from core.notifications.models import Notification
from core.notifications.services import Addressee, notification_send
from core.personal_data import personal_data_export
from members import services
from members.invitations import SALT
from members.models import ForumSeat, Invitation, MembershipStatus, OrganisationChange, User
from tests.factories import (
    OrganisationFactory,
    SectorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "kalimera-Athina-2026"


def _greek(msgid: str, **values) -> str:
    """A text of the pages as a Greek invitee reads it (the invitation's language), as the
    page writes it (escaped); with no `values`, the part before its first placeholder."""
    with translation.override("el"):
        text = translation.gettext(msgid)
    text = text % values if values else text.split("%(")[0]
    return escape(text)


@pytest.fixture
def ngo():
    sector = SectorFactory(
        slug="civil-society", name="Civil society", stakeholder_group="non_government"
    )
    return OrganisationFactory(name="Vouliwatch", sector=sector, country="GR")


@pytest.fixture
def ministry():
    sector = SectorFactory(slug="ministries", name="Ministries", stakeholder_group="government")
    return OrganisationFactory(name="Ministry of Digital Governance", sector=sector, country="GR")


def invite(
    forum, by, organisation, *, email="maria@example.gr", name="Maria Papadopoulou", language="el"
):
    return services.invitation_send(
        forum=forum, email=email, name=name, organisation=organisation, language=language, by=by
    )


def link_of(message) -> str:
    match = re.search(r"https?://[^\s]+/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(0)


def token_of(message) -> str:
    return link_of(message).rstrip("/").rsplit("/", 1)[1]


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def sent(forum, secretariat, ngo, django_capture_on_commit_callbacks):
    """An invitation in Greek, its e-mail delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(forum, secretariat, ngo)
    (message,) = sent_to("maria@example.gr")
    return invitation, message


# --- Sending -----------------------------------------------------------------------------


def test_an_invitation_in_greek_reaches_the_outbox_in_greek_with_its_link(sent):
    invitation, message = sent
    notification = Notification.objects.get(kind="invitation")
    assert notification.recipient is None and notification.email == "maria@example.gr"
    assert notification.language == "el"
    # The month of the expiry comes from Django's own Greek catalogue.
    months = [
        "Ιανουαρίου",
        "Φεβρουαρίου",
        "Μαρτίου",
        "Απριλίου",
        "Μαΐου",
        "Ιουνίου",
        "Ιουλίου",
        "Αυγούστου",
        "Σεπτεμβρίου",
        "Οκτωβρίου",
        "Νοεμβρίου",
        "Δεκεμβρίου",
    ]
    assert any(month in notification.body for month in months), notification.body
    assert "WeOpenGov" in notification.subject and "Vouliwatch" in notification.body
    # The secret link is made as the e-mail goes: the outbox does not keep it.
    assert "/invitations/" not in notification.body + notification.url
    assert "/invitations/" in message.body and invitation.nonce not in notification.body
    assert any(month in message.body for month in months)
    # Essential: nothing in the e-mail turns it off, and no preferences page of an account.
    assert "List-Unsubscribe" not in message.extra_headers
    assert reverse("notifications:preferences") not in message.body
    assert invitation.sent_now and invitation.state == Invitation.State.SENT


def test_sending_twice_makes_one_invitation_and_one_e_mail(sent, forum, secretariat, ngo):
    invitation, _message = sent
    again = invite(forum, secretariat, ngo, email="MARIA@example.gr")
    assert again.pk == invitation.pk and not again.sent_now
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(kind="invitation").count() == 1


def test_an_expired_invitation_sent_again_by_an_import_gets_a_new_link(
    sent, forum, secretariat, ngo, django_capture_on_commit_callbacks
):
    invitation, first = sent
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = invite(forum, secretariat, ngo)
    assert again.pk == invitation.pk and again.sent_now and again.state == "sent"
    second = sent_to("maria@example.gr")[-1]
    assert token_of(second) != token_of(first)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not an address", "Enter a valid e-mail address."),
        ("name", "   ", "Give the person's name."),
        ("language", "xx", "Choose one of the portal's languages."),
    ],
)
def test_bad_input_is_refused_beside_its_field(forum, secretariat, ngo, field, value, message):
    data = {"email": "maria@example.gr", "name": "Maria", "language": "el", field: value}
    with pytest.raises(services.InvitationError) as error:
        services.invitation_send(forum=forum, organisation=ngo, by=secretariat, **data)
    assert error.value.fields == {field: [message]}
    assert not Invitation.objects.exists()


# --- Accepting ---------------------------------------------------------------------------


def test_accepting_logs_in_an_approved_member_of_the_group_with_no_approval_step(client, sent, ngo):
    invitation, message = sent
    link = link_of(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "WeOpenGov" in page.text and "Vouliwatch" in page.text
    assert 'lang="el"' in page.text  # in the invitation's language, before any log-in

    response = client.post(
        link, {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("members:my_forum")
    member = User.objects.get(email="maria@example.gr")
    assert response.context["user"] == member
    assert member.membership_status == MembershipStatus.APPROVED
    assert member.membership_decided_by == invitation.invited_by
    assert member.organisation == ngo and member.preferred_language == "el"
    assert member.organisation.sector.stakeholder_group == "non_government"
    assert member.full_name == "Maria Papadopoulou" and member.privacy_consented_at
    assert member.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=member).verified
    assert not services.selectors.membership_queue().filter(pk=member.pk).exists()
    assert [m.message for m in response.context["messages"]]
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.user == member and invitation.nonce == ""
    assert AuditEntry.objects.filter(action="invitation.accept").exists()
    assert AuditEntry.objects.filter(action="membership.approved", about_id=str(member.pk)).exists()


def test_the_link_works_once(client, sent):
    _invitation, message = sent
    data = {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    assert client.post(link_of(message), data).status_code == 302
    client.logout()

    again = client.get(link_of(message))
    assert again.status_code == 410
    assert _greek("This invitation has been accepted already: its link works once.") in again.text
    assert client.post(link_of(message), data).status_code == 410
    assert User.objects.filter(email="maria@example.gr").count() == 1


def test_a_weak_password_is_refused_by_the_portals_rules(client, sent):
    _invitation, message = sent
    response = client.post(
        link_of(message), {"password1": "123", "password2": "123", "privacy_consent": "on"}
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="maria@example.gr").exists()
    assert response.context["form"].errors["password1"]


def test_without_consent_nobody_is_made_a_member(client, sent):
    _invitation, message = sent
    response = client.post(link_of(message), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert not User.objects.filter(email="maria@example.gr").exists()


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_an_expired_or_revoked_link_gets_a_clear_page(client, sent, secretariat, how):
    invitation, message = sent
    if how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        expected = _greek("The invitation expired on %(until)s.")
    else:
        services.invitation_revoke(invitation=invitation, by=secretariat)
        expected = _greek("The secretariat has withdrawn this invitation.")
    page = client.get(link_of(message))
    assert page.status_code == 410
    assert expected in page.text
    asked = _greek("Ask the secretariat of %(forum)s for a new invitation.", forum="WeOpenGov")
    assert asked in page.text and "Eleni Secretariat" in page.text
    data = {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    assert client.post(link_of(message), data).status_code == 410
    assert not User.objects.filter(email="maria@example.gr").exists()


@pytest.mark.parametrize(
    "token",
    [
        "nothing-of-ours",
        signing.dumps({"i": 1, "n": "x"}, salt="another.salt"),
        "%00",
        "a" * 2000,
    ],
    # named, not by value: a signed value holds the second it was made, and each xdist
    # worker must collect the same tests
    ids=["not-ours", "another-salt", "nul", "overlong"],
)
def test_a_tampered_or_made_up_link_gets_a_clear_page(client, sent, token):
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 404
    assert "not complete or not one of ours" in page.text


def test_a_link_for_another_invitation_id_does_not_open(client, sent):
    invitation, message = sent
    token = token_of(message)
    forged = token.replace(token.split(":")[0], token.split(":")[0][:-2] + "AA")
    assert client.get(f"/invitations/{forged}/").status_code == 404
    made = signing.dumps({"i": invitation.pk + 1, "n": invitation.nonce}, salt=SALT)
    assert client.get(f"/invitations/{made}/").status_code == 404


def test_resending_invalidates_the_old_link(
    client, sent, secretariat, django_capture_on_commit_callbacks
):
    invitation, first = sent
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, by=secretariat)
    second = sent_to("maria@example.gr")[-1]
    assert link_of(second) != link_of(first)

    old = client.get(link_of(first))
    replaced = _greek("A newer e-mail replaced this invitation: use the link of the latest e-mail.")
    assert old.status_code == 410 and replaced in old.text
    assert client.get(link_of(second)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.sent_count == 2


# --- An address that has an account ----------------------------------------------------------


def test_an_existing_account_links_the_organisation_after_confirming(
    client, forum, secretariat, ngo, ministry, django_capture_on_commit_callbacks
):
    member = UserFactory(
        email="nikos@example.gr",
        organisation=ministry,
        membership_status="pending",
        preferred_language="en",
    )
    OrganisationChange.objects.create(member=member, organisation=ministry)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(forum, secretariat, ngo, email="nikos@example.gr", name="Nikos")
    assert invitation.user == member
    (message,) = sent_to("nikos@example.gr")
    notification = Notification.objects.get(kind="invitation_link")
    assert notification.recipient == member and notification.language == "en"
    link = link_of(message)

    # Not logged in: log in first, then come back.
    page = client.get(link)
    assert page.status_code == 200 and reverse("account_login") in page.text
    client.force_login(member)
    page = client.get(link)
    assert "Yes, I take part for Vouliwatch" in page.text
    member.refresh_from_db()
    assert member.organisation == ministry  # nothing changes before the confirmation

    response = client.post(link)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organisation == ngo
    assert member.membership_status == MembershipStatus.APPROVED
    assert not OrganisationChange.objects.filter(status="pending").exists()
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert client.post(link).status_code == 410


def test_another_account_cannot_take_an_invitation(client, sent):
    _invitation, message = sent
    client.force_login(UserFactory())
    page = client.get(link_of(message))
    assert page.status_code == 403
    with pytest.raises(NotAllowed):
        services.invitation_link_confirm(token=token_of(message), member=UserFactory())


def test_an_approved_member_of_the_organisation_is_not_invited_again(forum, secretariat, ngo):
    UserFactory(email="kostas@example.gr", organisation=ngo)
    with pytest.raises(services.AlreadyMember):
        invite(forum, secretariat, ngo, email="kostas@example.gr")
    assert not Invitation.objects.exists()


def test_accepted_invitation_sent_again_by_an_import_creates_nothing(
    client, sent, forum, secretariat, ngo
):
    _invitation, message = sent
    client.post(
        link_of(message), {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    )
    again = invite(forum, secretariat, ngo)
    assert again.state == "accepted" and not again.sent_now
    assert Invitation.objects.count() == 1


# --- Who may ------------------------------------------------------------------------------


def test_another_forums_secretariat_cannot_send_resend_or_revoke(
    sent, forum, ngo, other_secretariat
):
    invitation, _message = sent
    with pytest.raises(NotAllowed):
        invite(forum, other_secretariat, ngo, email="new@example.gr")
    with pytest.raises(NotAllowed):
        services.invitation_resend(invitation=invitation, by=other_secretariat)
    with pytest.raises(NotAllowed):
        services.invitation_revoke(invitation=invitation, by=other_secretariat)
    with pytest.raises(NotAllowed):
        invite(forum, UserFactory(), ngo, email="new@example.gr")
    invitation.refresh_from_db()
    assert invitation.state == "sent" and invitation.sent_count == 1


def url(name, forum, *args):
    return reverse(f"manage:{name}", args=[forum.slug, *args])


def test_another_forums_secretariat_gets_403_for_every_page(
    client, sent, forum, ngo, other_secretariat
):
    invitation, _message = sent
    client.force_login(other_secretariat)
    assert client.get(url("invitations", forum)).status_code == 403
    assert (
        client.post(
            url("invitation_add", forum),
            {"name": "X", "email": "x@example.gr", "organisation": ngo.pk, "language": "el"},
        ).status_code
        == 403
    )
    for action in ("resend", "revoke"):
        assert client.get(url("invitation_action", forum, invitation.pk, action)).status_code == 403
        assert (
            client.post(url("invitation_action", forum, invitation.pk, action)).status_code == 403
        )
    # Its own back office does not show this forum's invitations either.
    own = client.get(reverse("manage:invitations", args=["gdansk"]))
    assert own.status_code == 200 and "maria@example.gr" not in own.text
    assert Invitation.objects.count() == 1


# --- The back office ----------------------------------------------------------------------


def test_the_secretariat_invites_from_the_back_office(
    client, forum, secretariat, ngo, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    page = client.get(url("invitations", forum))
    assert page.status_code == 200
    assert url("invitations", forum) in client.get(url("body", forum)).text  # in the menu
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invitation_add", forum),
            {
                "name": "Maria",
                "email": "maria@example.gr",
                "organisation": ngo.pk,
                "language": "el",
            },
            follow=True,
        )
    assert "Maria is invited" in response.text
    assert "maria@example.gr" in response.text and "Sent" in response.text
    assert len(sent_to("maria@example.gr")) == 1

    again = client.post(
        url("invitation_add", forum),
        {"name": "Maria", "email": "maria@example.gr", "organisation": ngo.pk, "language": "el"},
        follow=True,
    )
    assert "nothing was sent" in again.text
    bad = client.post(
        url("invitation_add", forum),
        {"name": "", "email": "no", "organisation": ngo.pk, "language": "el"},
    )
    assert bad.status_code == 400


def test_resend_and_revoke_ask_to_confirm_then_say_so(
    client, sent, forum, secretariat, django_capture_on_commit_callbacks
):
    invitation, _message = sent
    client.force_login(secretariat)
    confirm = client.get(url("invitation_action", forum, invitation.pk, "resend"))
    assert confirm.status_code == 200 and "Yes, send it again" in confirm.text
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("invitation_action", forum, invitation.pk, "resend"), follow=True)
    assert "sent again" in done.text
    assert len(sent_to("maria@example.gr")) == 2

    confirm = client.get(url("invitation_action", forum, invitation.pk, "revoke"))
    assert "Yes, revoke it" in confirm.text
    done = client.post(url("invitation_action", forum, invitation.pk, "revoke"), follow=True)
    assert "is revoked" in done.text
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    again = client.post(url("invitation_action", forum, invitation.pk, "revoke"), follow=True)
    assert "revoked already" in again.text
    assert client.get(url("invitation_action", forum, invitation.pk, "delete")).status_code == 404
    assert client.get(url("invitation_action", forum, 10**12, "revoke")).status_code == 404


def test_the_list_is_searched_and_filtered_by_state(client, forum, secretariat, ngo):
    maria = invite(forum, secretariat, ngo)
    nikos = invite(forum, secretariat, ngo, email="nikos@example.gr", name="Nikos Georgiou")
    old = invite(forum, secretariat, ngo, email="old@example.gr", name="Old Friend")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    services.invitation_revoke(invitation=nikos, by=secretariat)
    client.force_login(secretariat)

    def listed(**query):
        page = client.get(url("invitations", forum), query)
        assert page.status_code == 200
        return {invitation.pk for invitation in page.context["page"]}

    assert listed() == {maria.pk, nikos.pk, old.pk}
    assert listed(q="georgiou") == {nikos.pk}
    assert listed(q="MARIA@") == {maria.pk}
    assert listed(state="revoked") == {nikos.pk}
    assert listed(state="expired") == {old.pk}
    assert listed(state="sent") == {maria.pk}
    assert listed(state="nonsense") == {maria.pk, nikos.pk, old.pk}  # ignored, not a 500
    assert client.get(url("invitations", forum), {"page": "x"}).status_code == 200


def test_the_list_costs_the_same_queries_for_1_and_10(client, forum, secretariat, ngo, ministry):
    client.force_login(secretariat)
    invite(forum, secretariat, ngo, email="first@example.gr")
    client.get(url("invitations", forum))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("invitations", forum)).status_code == 200
        return len(queries)

    one = count()
    for n in range(9):
        organisation = ministry if n % 2 else ngo
        invitation = invite(forum, secretariat, organisation, email=f"p{n}@example.gr")
        if n % 3 == 0:
            services.invitation_revoke(invitation=invitation, by=secretariat)
    assert count() == one


# --- Personal data --------------------------------------------------------------------------


def test_the_invitation_is_in_the_members_data_and_goes_with_the_account(client, sent):
    invitation, message = sent
    client.post(
        link_of(message), {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    )
    member = User.objects.get(email="maria@example.gr")
    data = personal_data_export(member=member)
    assert data["invitations"][0]["organisation__name"] == "Vouliwatch"

    services.member_delete(member=member)
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(email="maria@example.gr").exists()


def test_invitations_never_accepted_are_forgotten_after_a_while(sent, secretariat):
    invitation, _message = sent
    assert services.invitations_expire() == 0
    later = invitation.expires_at + timedelta(days=services.INVITATION_DATA_DAYS + 1)
    assert services.invitations_expire(now=later) == 1
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(email="maria@example.gr").exists()


def test_only_essential_kinds_with_a_key_go_to_an_address_without_an_account():
    nobody = Addressee(email="someone@example.gr", preferred_language="el")
    with pytest.raises(ValueError, match="essential"):
        notification_send(kind="workshop_announced", recipient=nobody, dedup_key="x")
    with pytest.raises(ValueError, match="essential"):
        notification_send(kind="invitation", recipient=nobody)
    assert not Notification.objects.exists()


def test_an_invitation_with_a_seat_gives_it_on_accepting(
    client, forum, secretariat, ministry, django_capture_on_commit_callbacks
):
    start = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            forum=forum,
            email="yannis@example.gr",
            name="Yannis",
            organisation=ministry,
            language="el",
            by=secretariat,
            seat_term_start=start,
        )
    (message,) = sent_to("yannis@example.gr")
    client.post(
        link_of(message), {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    )
    member = User.objects.get(email="yannis@example.gr")
    (seat,) = ForumSeat.objects.filter(forum=forum, member=member)
    assert seat.organisation == ministry and seat.stakeholder_group == "government"
    assert seat.term_start == start and seat.voting and not seat.co_chair
    assert AuditEntry.objects.filter(action="seat.add", data__invitation=invitation.pk).exists()


def test_the_seat_is_asked_in_the_back_office(client, forum, secretariat, ngo):
    client.force_login(secretariat)
    client.post(
        url("invitation_add", forum),
        {
            "name": "Maria",
            "email": "maria@example.gr",
            "organisation": ngo.pk,
            "language": "el",
            "seat_term_start": "2027-01-01",
        },
    )
    assert Invitation.objects.get().seat_term_start.isoformat() == "2027-01-01"
    bad = client.post(
        url("invitation_add", forum),
        {
            "name": "Nikos",
            "email": "nikos@example.gr",
            "organisation": ngo.pk,
            "language": "el",
            "seat_term_start": "0001-01-01",
        },
    )
    assert bad.status_code == 400 and Invitation.objects.count() == 1


def test_a_greek_invitee_reads_the_form_its_errors_and_the_welcome_in_greek(client, sent):
    """Whatever the browser's language: the invitation's (found in a walk in chromium, whose
    English browser got the privacy link and the welcome in English)."""
    _invitation, message = sent
    page = client.get(link_of(message), headers={"accept-language": "en"}).text
    assert _greek("Read the privacy notice") in page
    refused = client.post(link_of(message), {"password1": PASSWORD}).text
    with translation.override("el"):
        required = escape(translation.gettext("This field is required."))
    assert required in refused
    data = {"password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    welcome = client.post(link_of(message), data, follow=True).text
    assert (
        _greek(
            "Welcome, %(name)s: you are a member of the forum for %(organisation)s, "
            "approved by the secretariat."
        )
        in welcome
    )
