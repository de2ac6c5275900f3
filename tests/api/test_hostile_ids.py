"""Ids that are not numbers in the API's paths, and a page size that is not one: a JSON
4xx, as the schema documents, never a 500 (the four actions of a workshop were 500 for
/api/v1/workshops/abc/register/ and its siblings)."""

import pytest

from tests.factories import UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    ("post", "register"),
    ("post", "cancel"),
    ("get", "registration"),
    ("post", "contributions"),
]


@pytest.mark.parametrize(("method", "action"), ACTIONS)
@pytest.mark.parametrize("bad", ["abc", "-1", "99999999999999999999", "%C3%A9", "%00"])
def test_a_workshop_id_that_is_no_id_is_a_json_404(api, method, action, bad):
    WorkshopFactory(status="published")
    api.force_authenticate(UserFactory())

    response = getattr(api, method)(f"/api/v1/workshops/{bad}/{action}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("size", ["abc", "", "0", "-5", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_is_a_400(api, size):
    response = api.get("/api/v1/workshops/", {"page_size": size})

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Enter a whole number, at least 1."]}


def test_a_page_size_above_the_limit_still_gives_the_limit(api):
    assert api.get("/api/v1/workshops/", {"page_size": "1000"}).status_code == 200
