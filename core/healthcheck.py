"""/healthz: the state of the database, of the broker and of the machine-translation
backend, as JSON."""

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse

from core.translation.checks import translation_state

HEALTH_PATH = "/healthz"


def database_state() -> dict:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "down", "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"status": "up", "vendor": connection.vendor}


def broker_state() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "eager", "detail": "no broker configured; tasks run in-process"}
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"status": "down", "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"status": "up"}


def health_response() -> JsonResponse:
    database = database_state()
    broker = broker_state()
    # The backend is asked at most once a minute, not at every probe of the container.
    translation = cache.get_or_set("healthz:translation", translation_state, 60)
    if database["status"] != "up":
        overall, http_status = "down", 503
    elif broker["status"] == "down" or translation["status"] == "down":
        # Users can still work: notifications wait in the database for the broker, and
        # pages show what members wrote untranslated.
        overall, http_status = "degraded", 200
    else:
        overall, http_status = "ok", 200
    response = JsonResponse(
        {
            "status": overall,
            "database": database,
            "broker": broker,
            "translation": translation,
        },
        status=http_status,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz before host validation and the HTTPS redirect.

    Container health checks call http://127.0.0.1:8000/healthz, which is neither an allowed
    host nor HTTPS in production. The answer holds no private data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
