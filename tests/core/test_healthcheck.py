import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_embedded_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "up"
    assert body["broker"]["status"] == "eager"


def test_healthz_answers_any_host_over_plain_http(client, settings):
    # Container health checks call 127.0.0.1 over HTTP; production redirects and checks hosts.
    settings.ALLOWED_HOSTS = ["forum.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"]["status"] == "down"


def test_healthz_is_degraded_but_200_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"]["status"] == "down"


@pytest.mark.requires_redis
def test_healthz_sees_the_real_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.REDIS_URL

    assert client.get("/healthz").json()["broker"]["status"] == "up"


@pytest.mark.requires_postgres
def test_postgresql_is_reached_through_psycopg_3(client):
    assert client.get("/healthz").json()["database"]["vendor"] == "postgresql"
    assert connection.Database.__name__ == "psycopg"
    assert connection.Database.__version__.startswith("3.")
