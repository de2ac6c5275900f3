import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.apps import role_permissions_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_staff(client):
    role_permissions_sync()
    user = UserFactory(roles=["secretariat"], is_staff=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "page",
    [
        "admin:cocreation_workshop_add",
        "admin:cocreation_workshop_changelist",
        "admin:members_sector_changelist",
        "admin:members_forumseat_add",
        "admin:notifications_notificationtemplate_add",
    ],
)
def test_the_secretariat_works_in_the_administration(client, secretariat_staff, page):
    assert client.get(reverse(page)).status_code == 200


def test_the_secretariat_cannot_hand_out_permissions(client, secretariat_staff):
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_the_sync_is_idempotent():
    role_permissions_sync()
    role_permissions_sync()

    assert (
        Group.objects.get(name="secretariat")
        .permissions.filter(codename="change_workshop")
        .exists()
    )
