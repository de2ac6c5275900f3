import uuid

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _own_throttle_cache(settings):
    """Each test counts its requests in a cache of its own: parallel workers sharing Redis
    in CI never throttle each other."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def api():
    return APIClient()


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}
