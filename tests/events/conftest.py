import pytest
from django.core import mail

from tests.factories import UserFactory


@pytest.fixture
def secretariat():
    return UserFactory(roles=["secretariat"], full_name="Eleni Papadopoulou")


@pytest.fixture
def organiser():
    return UserFactory(full_name="Sofia Alexiou")


def mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]
