"""Fixtures shared by the members' back-office tests (invitations, imports, exports): a
Greek forum with its secretariat, and the secretariat of another forum."""

import pytest

from tests.factories import ForumFactory, UserFactory, role_give


@pytest.fixture
def forum():
    return ForumFactory(name="WeOpenGov", slug="weopengov", country="GR")


@pytest.fixture
def secretariat(forum):
    member = UserFactory(full_name="Eleni Secretariat")
    role_give(member, "secretariat", forum)
    return member


@pytest.fixture
def other_secretariat():
    other = ForumFactory(name="Gdańsk partners", slug="gdansk", country="PL")
    member = UserFactory()
    role_give(member, "secretariat", other)
    return member
