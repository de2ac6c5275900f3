"""members.services.forum_create: the site administrator's, all or nothing, audited."""

import pytest
from django.contrib.auth.models import Group

from core.audit.models import AuditEntry
from core.errors import NotAllowed
from members import services
from members.models import Forum, ForumRole, ForumSeat, StakeholderGroup
from members.services import ForumCreateError, forum_create
from tests.factories import ForumFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

GOV, NON_GOV = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT
FIELDS = {"name": "Novi Sad Forum", "slug": "novi-sad", "kind": Forum.Kind.LOCAL, "country": "RS"}


def nothing_saved():
    assert not Forum.objects.filter(slug="novi-sad").exists()
    assert not ForumRole.objects.filter(forum__slug="novi-sad").exists()
    assert not ForumSeat.objects.filter(forum__slug="novi-sad").exists()
    assert not AuditEntry.objects.filter(action="forum.create").exists()


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


def test_only_the_site_administrator_creates_a_forum():
    secretariat = UserFactory(roles=["secretariat"])

    with pytest.raises(NotAllowed):
        forum_create(fields=FIELDS, secretariat=[secretariat], co_chairs={}, by=secretariat)

    nothing_saved()


def test_a_failure_half_way_leaves_nothing_behind(admin, monkeypatch):
    runner = UserFactory()
    chair = member_of(GOV)

    def audit_fails(**kwargs):
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr(services, "audit_record", audit_fails)

    with pytest.raises(RuntimeError):
        forum_create(fields=FIELDS, secretariat=[runner], co_chairs={GOV: chair}, by=admin)

    nothing_saved()
    assert not runner.groups.filter(name="secretariat").exists()


def test_every_reason_is_given_at_once_by_field(admin):
    group = ForumFactory(slug="a-group", kind=Forum.Kind.WORKING_GROUP, parent=ForumFactory())
    waiting = UserFactory(membership_status="pending")
    without_organisation = UserFactory(organisation=None)

    with pytest.raises(ForumCreateError) as refused:
        forum_create(
            fields={**FIELDS, "slug": "a-group", "kind": Forum.Kind.WORKING_GROUP, "parent": group},
            secretariat=[waiting],
            co_chairs={GOV: member_of(NON_GOV), NON_GOV: without_organisation},
            by=admin,
        )

    assert set(refused.value.fields) == {
        "slug",
        "parent",
        "secretariat",
        "government_co_chair",
        "non_government_co_chair",
    }
    assert "has no organisation" in refused.value.fields["non_government_co_chair"][0]
    assert not Forum.objects.filter(name="Novi Sad Forum").exists()


def test_a_member_named_twice_holds_one_role_and_joins_the_secretariat_group(admin):
    runner = UserFactory()

    forum = forum_create(fields=FIELDS, secretariat=[runner, runner], co_chairs={}, by=admin)

    assert list(ForumRole.objects.filter(forum=forum).values_list("member", "role")) == [
        (runner.pk, "secretariat")
    ]
    assert Group.objects.get(name="secretariat") in runner.groups.all()
    assert not ForumSeat.objects.filter(forum=forum).exists()  # co-chairs can come later
    entry = AuditEntry.objects.get(action="forum.create")
    assert entry.data["slug"] == "novi-sad" and entry.data["term_start"] is None
