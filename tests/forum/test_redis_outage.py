"""Redis configured but down: the portal keeps working.

The settings are those an operator gets with REDIS_URL set (forum/settings.py read anew with
the variable pointing at a port where nothing listens): the shared cache, the sessions, the
API's and allauth's rate limits and the Celery broker all live in that Redis. Pages, log-in
and the API answer as usual; a registration is made and its e-mail waits, pending, for the
sweep that sends it once Redis is back.
"""

import runpy
import socket
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cocreation.models import Registration
from core import queue
from core.notifications.models import EmailStatus, Notification
from core.notifications.services import notifications_deliver_due
from forum.celery import app as celery_app
from members.models import StakeholderGroup
from tests.factories import UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "forum" / "settings.py"
PASSWORD = "a-long-enough-password-1"  # noqa: S105


def _closed_port() -> int:
    """A local port where nothing listens (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reset_celery_connections() -> None:
    # The app keeps its broker connection pool once made: drop it so that the next task is
    # sent to the broker configured now.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings, monkeypatch):
    conf = celery_app.conf
    # Read first: Celery reads Django's settings lazily, the changed ones below included.
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    monkeypatch.setenv("REDIS_URL", url)
    configured = runpy.run_path(str(SETTINGS_FILE))
    monkeypatch.delenv("REDIS_URL")
    settings.REDIS_URL = url
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = configured["SESSION_ENGINE"]
    settings.CELERY_BROKER_URL = configured["CELERY_BROKER_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = configured["CELERY_TASK_ALWAYS_EAGER"]
    conf.broker_url = configured["CELERY_BROKER_URL"]
    conf.broker_transport_options = configured["CELERY_BROKER_TRANSPORT_OPTIONS"]
    conf.task_always_eager = configured["CELERY_TASK_ALWAYS_EAGER"]
    _reset_celery_connections()
    queue._broker["down_until"] = 0.0  # no failure remembered from another test
    yield url
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
    _reset_celery_connections()


def test_the_settings_under_test_use_redis(redis_down, settings):
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


def test_public_pages_and_the_api_answer_while_redis_is_down(redis_down, client):
    workshop = WorkshopFactory(title="Open contracting")

    for url in [
        reverse("home"),
        reverse("cocreation:index"),
        workshop.get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
        "/events/",
        "/action-plans/",
        "/forum-health/",
        "/api/v1/workshops/",
        "/api/v1/events/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Open contracting" in client.get(reverse("cocreation:index")).content.decode()
    assert client.get("/healthz").json()["status"] == "degraded"


def test_a_member_logs_in_registers_and_the_email_waits_for_the_sweep(
    redis_down, client, caplog, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Open contracting")
    member = member_of(StakeholderGroup.NON_GOVERNMENT)
    member.set_password(PASSWORD)
    member.save()

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    for page in ["members:my_forum", "members:profile", "notifications:list"]:
        assert client.get(reverse(page)).status_code == 200, page

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued: Redis is down
        response = client.post(
            reverse("cocreation:workshop_register", args=[workshop.pk]),
            {"agrees_to_be_named": "on"},
        )

    assert response.status_code == 302
    assert Registration.objects.filter(workshop=workshop, member=member).exists()
    notification = Notification.objects.get(recipient=member)
    assert notification.email_status == EmailStatus.PENDING
    assert mail.outbox == []
    assert "Could not queue notifications.deliver" in caplog.text  # the broker was tried
    # Redis is back (tasks run again): the minute's sweep sends what waited.
    celery_app.conf.task_always_eager = True
    assert notifications_deliver_due() == 1
    assert [message.to for message in mail.outbox] == [[member.email]]
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT


def test_a_logged_in_session_survives_and_logging_out_ends_it(redis_down, client):
    member = UserFactory()
    member.set_password(PASSWORD)
    member.save()
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert client.get(reverse("members:my_forum")).status_code == 200

    client.post(reverse("account_logout"))

    response = client.get(reverse("members:my_forum"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_api_takes_a_members_token_while_redis_is_down(redis_down, client):
    member = member_of(StakeholderGroup.GOVERNMENT)
    workshop = WorkshopFactory()
    token = Token.objects.create(user=member)

    response = client.post(
        f"/api/v1/workshops/{workshop.pk}/register/",
        {},
        headers={"Authorization": f"Token {token.key}"},
    )

    assert response.status_code in (200, 201), response.content
    assert Registration.objects.filter(workshop=workshop, member=member).exists()
