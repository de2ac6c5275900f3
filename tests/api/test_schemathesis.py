"""A property-based run of every GET endpoint against the OpenAPI schema (schemathesis):
no server error, and every response matches the schema. Bounded: a few examples per
operation, so the run takes seconds."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cocreation.models import Contribution, ReasonedResponse
from forum.wsgi import application
from tests.factories import MilestoneFactory, RegistrationFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the database
    connection of the test's transaction at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def some_data():
    registration = RegistrationFactory()
    contribution = Contribution.objects.create(
        workshop=registration.workshop,
        author=registration.member,
        kind="idea",
        title="Open contracts",
        text="Publish every contract.",
        status="published",
    )
    ReasonedResponse.objects.create(
        contribution=contribution, disposition="under_consideration", explanation="Soon."
    )
    MilestoneFactory(commitment__status="included", completion="limited")
    EventFactory(registration_required=True, capacity=30)


def test_every_get_endpoint_keeps_to_the_schema(
    settings, some_data, wsgi_keeps_the_test_connection
):
    settings.ALLOWED_HOSTS = ["*"]
    # Hundreds of requests in a few seconds: throttling must not make the run flaky.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) >= 19
    calls = []

    for operation in operations:

        @hypothesis.settings(
            max_examples=8,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def check(case):
            # The WSGI transport sends requests' default Accept-Encoding (gzip) but does not
            # decompress what the app's GZipMiddleware sends back: ask for it plain.
            response = case.call(headers={"Accept-Encoding": "identity"})
            calls.append(response.status_code)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        check()

    assert len(calls) > 3 * len(operations)
    assert 200 in calls and 404 in calls
