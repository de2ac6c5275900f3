"""Roles cannot be raised from below: no one but the site administrator (a superuser) sets
staff status, superuser status, groups or permissions, on their own account or another's,
through any door: the Django admin, the profile form, the API, the back office's role pages.
A sibling of the back office's permission matrix (test_manage_permission_matrix.py).

Each attempt is made as a real request with everything filled in, and is checked by what
would be noticed: the attacker's and the administrator's accounts are as they were."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token

from core.errors import NotAllowed
from forum.api import router
from members import roles, services
from members.models import ForumRole, User
from tests.factories import ForumFactory, UserFactory, role_give

pytestmark = pytest.mark.django_db

ROLE_FIELDS = ("is_staff", "is_superuser")


@pytest.fixture
def forums():
    return {
        "ours": ForumFactory(name="Portugal's open government network", slug="portugal"),
        "theirs": ForumFactory(name="Pančevo local forum", slug="pancevo"),
    }


@pytest.fixture
def administrator():
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)


def attacker(kind: str, forum):
    """A member, a facilitator, a secretariat (with the staff status and group an older
    installation gave it), or a staff account holding every permission but no superuser."""
    member = UserFactory(email=f"{kind.replace(' ', '.')}@example.org")
    if kind in ("facilitator", "secretariat"):
        role_give(member, kind, forum)
    if kind == "secretariat":
        member.is_staff = True
        member.save(update_fields=["is_staff"])
        member.groups.add(Group.objects.get_or_create(name=roles.SECRETARIAT)[0])
    if kind == "staff with every permission":
        member.is_staff = True
        member.save(update_fields=["is_staff"])
        member.user_permissions.set(Permission.objects.all())
    return member


def powers(user) -> tuple:
    user.refresh_from_db()
    return (
        user.email,
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        user.user_permissions.count(),
    )


def admin_change_data(user, **changes) -> dict:
    """The admin's change form of `user`, filled in as it is shown, with `changes`."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "position": user.position,
        "preferred_language": user.preferred_language,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [g.pk for g in Group.objects.all()],
        "user_permissions": [p.pk for p in Permission.objects.filter(codename="change_user")],
    }
    data.update(changes)
    return data


KINDS = ["member", "facilitator", "secretariat", "staff with every permission"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_admin_raises_no_role_for_anyone_but_the_site_administrator(
    client, forums, administrator, kind
):
    user = attacker(kind, forums["ours"])
    Group.objects.get_or_create(name=roles.SECRETARIAT)
    before, administrator_before = powers(user), powers(administrator)
    client.force_login(user)

    attempts = [
        client.post(reverse("admin:members_user_change", args=[user.pk]), admin_change_data(user)),
        # take over the administrator's account: a new address, then a password reset
        client.post(
            reverse("admin:members_user_change", args=[administrator.pk]),
            admin_change_data(administrator, email="attacker@example.org"),
        ),
        client.post(
            reverse("admin:members_user_add"),
            {
                "email": "sock@example.org",
                "password1": "x-Long-pass-1",
                "password2": "x-Long-pass-1",
            },
        ),
        client.post(
            reverse("admin:auth_group_add"),
            {"name": "everything", "permissions": [p.pk for p in Permission.objects.all()]},
        ),
    ]

    for response in attempts:
        assert response.status_code in (302, 403), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login"))
    assert powers(user) == before
    assert powers(administrator) == administrator_before
    assert not Group.objects.filter(name="everything").exists()
    assert not User.objects.filter(email="sock@example.org").exists()


def test_the_site_administrator_does_set_roles_in_the_admin(client, administrator):
    """The control of the test above: the same form, posted by the site administrator,
    works, so the refusals above are refusals and not a form the admin would reject."""
    member = UserFactory()
    group, _created = Group.objects.get_or_create(name=roles.SECRETARIAT)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:members_user_change", args=[member.pk]), admin_change_data(member)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.is_staff and member.is_superuser
    assert group in member.groups.all()


def test_even_inside_the_admin_role_fields_are_read_only_for_anyone_else(rf, administrator):
    """Defence in depth: were the admin ever opened to staff, the user form still would not
    let them change a role."""
    model_admin = admin.site._registry[User]
    request = rf.get("/")
    request.user = UserFactory(is_staff=True)
    request.user.user_permissions.set(Permission.objects.all())

    readonly = set(model_admin.get_readonly_fields(request, administrator))

    assert {"is_staff", "is_superuser", "groups", "user_permissions"} <= readonly
    request.user = administrator
    assert not {"is_staff", "is_superuser"} & set(model_admin.get_readonly_fields(request))


@pytest.mark.parametrize("kind", KINDS)
def test_the_profile_form_ignores_role_fields(client, forums, kind):
    user = attacker(kind, forums["ours"])
    group, _created = Group.objects.get_or_create(name="admins")
    before = powers(user)
    client.force_login(user)

    response = client.post(
        reverse("members:profile"),
        {
            "full_name": "Still Me",
            "organisation": user.organisation_id,
            "position": "",
            "preferred_language": "en",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "user_permissions": [p.pk for p in Permission.objects.all()[:5]],
            "membership_status": "approved",
            "email": "admin@example.org",
        },
    )

    assert response.status_code == 302  # saved: the name, and nothing else
    user.refresh_from_db()
    assert user.full_name == "Still Me"
    assert powers(user) == before


def api_addresses(pk) -> list[str]:
    """Every list and detail address of the API, from its router: an endpoint added later is
    tried too."""
    addresses = []
    for prefix, _viewset, _basename in router.registry:
        addresses += [f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{pk}/"]
    return addresses


@pytest.mark.parametrize("auth", ["token", "session"])
def test_no_api_operation_writes_a_role(client, forums, administrator, auth):
    user = attacker("secretariat", forums["ours"])
    before, administrator_before = powers(user), powers(administrator)
    headers = {}
    if auth == "token":
        headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    else:
        client.force_login(user)
    body = {
        "is_staff": True,
        "is_superuser": True,
        "groups": [Group.objects.get_or_create(name="admins")[0].pk],
        "user_permissions": [1],
        "email": "attacker@example.org",
    }

    for pk in (user.pk, administrator.pk):
        for address in api_addresses(pk):
            for method in ("post", "put", "patch"):
                response = getattr(client, method)(
                    address, body, content_type="application/json", **headers
                )
                assert response.status_code in (400, 401, 403, 404, 405), (
                    method,
                    address,
                    response.status_code,
                )

    assert powers(user) == before
    assert powers(administrator) == administrator_before


def test_the_api_token_page_changes_no_role(client, forums):
    user = attacker("member", forums["ours"])
    before = powers(user)
    client.force_login(user)

    client.post(reverse("api_token"), {"is_superuser": "on", "is_staff": "on"})

    assert powers(user) == before


def role_give_url(forum):
    return reverse("manage:body_role_give", args=[forum.slug])


def test_a_facilitator_cannot_make_themself_secretariat(client, forums):
    facilitator = attacker("facilitator", forums["ours"])
    client.force_login(facilitator)

    response = client.post(
        role_give_url(forums["ours"]), {"email": facilitator.email, "role": "secretariat"}
    )

    assert response.status_code == 403
    assert not ForumRole.objects.filter(member=facilitator, role="secretariat").exists()
    with pytest.raises(NotAllowed):
        services.forum_role_give(
            forum=forums["ours"], member=facilitator, role="secretariat", by=facilitator
        )


def test_a_secretariat_grants_no_role_in_another_forum(client, forums):
    secretariat = attacker("secretariat", forums["ours"])
    accomplice = UserFactory()
    theirs = forums["theirs"]
    someone_elses = role_give(UserFactory(), "secretariat", theirs)
    client.force_login(secretariat)

    for who in (secretariat, accomplice):
        response = client.post(role_give_url(theirs), {"email": who.email, "role": "secretariat"})
        assert response.status_code == 403
    removal = client.post(reverse("manage:body_role_remove", args=[theirs.slug, someone_elses.pk]))
    at_our_address = client.post(
        reverse("manage:body_role_remove", args=[forums["ours"].slug, someone_elses.pk])
    )

    assert removal.status_code == 403 and at_our_address.status_code == 404
    assert not ForumRole.objects.filter(forum=theirs, member__in=[secretariat, accomplice])
    assert ForumRole.objects.filter(pk=someone_elses.pk).exists()
    with pytest.raises(NotAllowed):
        services.forum_role_give(
            forum=theirs, member=accomplice, role="facilitator", by=secretariat
        )


@pytest.mark.parametrize("role", ["superuser", "staff", "administrator", "is_superuser"])
def test_the_role_page_gives_no_role_but_secretariat_and_facilitator(client, forums, role):
    secretariat = attacker("secretariat", forums["ours"])
    member = UserFactory()
    before = powers(member)
    client.force_login(secretariat)

    response = client.post(
        role_give_url(forums["ours"]),
        {"email": member.email, "role": role, "is_superuser": "on", "is_staff": "on"},
    )

    assert response.status_code == 400
    assert not ForumRole.objects.filter(member=member).exists()
    assert powers(member) == before


def test_naming_a_secretariat_makes_nobody_staff_or_superuser(client, forums):
    secretariat = attacker("secretariat", forums["ours"])
    member = UserFactory()
    client.force_login(secretariat)

    client.post(
        role_give_url(forums["ours"]),
        {"email": member.email, "role": "secretariat", "is_superuser": "on", "is_staff": "on"},
    )

    member.refresh_from_db()
    assert ForumRole.objects.filter(member=member, role="secretariat").exists()
    assert not member.is_staff and not member.is_superuser
