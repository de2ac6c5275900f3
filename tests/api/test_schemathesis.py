"""A property-based run of every operation of the API (GET and POST) against its OpenAPI
schema (schemathesis), anonymously and with a member's token, in both of schemathesis's
modes (data the schema allows, data it does not), with every check it has: no server
error; status codes, content types, headers and bodies as the schema documents them;
data the schema refuses refused, data it allows accepted. Bounded: a few examples per
operation and mode, so the run takes well under a minute."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from cocreation.models import Contribution, ReasonedResponse
from forum.wsgi import application
from tests.factories import MilestoneFactory, RegistrationFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 10  # per operation, mode and visitor: 22 operations give 440 requests each

CONFIG = {
    "checks": {
        # 400 is the documented answer to a filter naming an id that is not there and to an
        # action not possible now (a full workshop): data the schema allows, refused.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
        }
    }
}


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
def member_token() -> str:
    """Some data of every kind, and the token of a member with a seat."""
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
    return Token.objects.create(user=registration.member).key


def _run(operation, mode, headers, calls, failures):
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call(headers=headers)
        calls.append(response.status_code)
        try:
            case.validate_response(response, headers=headers)
        except FailureGroup as group:  # every failure is listed, not only the first
            for failure in group.exceptions:
                failures.add(
                    f"{case.method} {case.path} ({mode.value}): {failure.title}: "
                    f"{failure.message[:300]} ({response.status_code}, "
                    f"{case.as_curl_command()[:300]})"
                )

    check()


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_every_operation_keeps_to_the_schema(
    settings, member_token, wsgi_keeps_the_test_connection, who
):
    settings.ALLOWED_HOSTS = ["*"]
    # Hundreds of requests in a few seconds: throttling must not make the run flaky.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    # The WSGI transport sends requests' default Accept-Encoding (gzip) but does not
    # decompress what the app's GZipMiddleware sends back: ask for it plain.
    headers = {"Accept-Encoding": "identity"}
    if who == "member":
        headers["Authorization"] = f"Token {member_token}"
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, config=SchemathesisConfig.from_dict(CONFIG)
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 22
    assert {operation.method.upper() for operation in operations} == {"GET", "POST"}
    calls, failures = [], set()

    for operation in operations:
        for mode in GenerationMode:
            _run(operation, mode, headers, calls, failures)

    server_errors = sum(status >= 500 for status in calls)
    figures = f"{who}: {len(operations)} operations, {len(calls)} requests, {server_errors} 5xx"
    print(f"\n{figures}")
    assert not failures, figures + "\n" + "\n\n".join(sorted(failures))
    assert server_errors == 0
    assert len(calls) > 3 * len(operations)
    assert {200, 400, 404} <= set(calls)
    if who == "anonymous":
        assert 401 in calls  # the actions of members, asked without a token
