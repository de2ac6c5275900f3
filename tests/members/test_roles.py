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
        "admin:index",
        "admin:cocreation_workshop_add",
        "admin:cocreation_workshop_changelist",
        "admin:members_forumseat_add",
        "admin:members_user_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_the_administration_is_the_site_administrators_alone(client, secretariat_staff, page):
    """A secretariat runs its forum from the back office: even with staff status and the
    secretariat group's permissions, the administration sends it to its log-in page, so it
    cannot hand out permissions or make itself a superuser there."""
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_site_administrator_keeps_the_administration(admin_client):
    assert admin_client.get(reverse("admin:members_user_changelist")).status_code == 200


def test_the_sync_is_idempotent():
    role_permissions_sync()
    role_permissions_sync()

    assert (
        Group.objects.get(name="secretariat")
        .permissions.filter(codename="change_workshop")
        .exists()
    )
