"""The OpenAPI 3 schema describes every endpoint and field; the docs load nothing from
elsewhere and need no inline script."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_the_schema_lists_every_endpoint_and_describes_every_field(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for endpoint in [
        "sectors",
        "organisations",
        "processes",
        "workshops",
        "contributions",
        "action-plans",
        "commitments",
        "milestones",
        "events",
    ]:
        assert f"/api/v1/{endpoint}/" in paths
        assert f"/api/v1/{endpoint}/{{id}}/" in paths
    for action in ["register", "cancel", "registration", "contributions"]:
        assert f"/api/v1/workshops/{{id}}/{action}/" in paths
    search = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in search["parameters"]} == {
        "q",
        "kind",
        "forum",
        "language",
        "from",
        "to",
        "page",
    }
    assert all(p.get("description") for p in search["parameters"])
    assert (
        "<mark>"
        in schema["components"]["schemas"]["SearchHit"]["properties"]["title"]["description"]
    )
    for endpoint in ["workshops", "contributions", "commitments", "events"]:
        parameters = schema["paths"][f"/api/v1/{endpoint}/"]["get"]["parameters"]
        assert any(p["name"] == "search" and p["description"] for p in parameters)
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undescribed == []
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_uses_only_local_scripts_and_styles(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    assert "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_settings_script_is_served_from_our_origin(client):
    html = client.get("/api/docs/").content.decode()
    script_url = re.findall(r'<script src="([^"]+)"', html)[-1].replace("&amp;", "&")

    response = client.get(script_url)

    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


def nullable_without_type(node, where="") -> list[str]:
    """Places where `nullable` stands without a `type`: OpenAPI 3.0 ignores it there."""
    if isinstance(node, list):
        return [hit for item in node for hit in nullable_without_type(item, where)]
    if not isinstance(node, dict):
        return []
    hits = [where] if node.get("nullable") and "type" not in node else []
    return hits + [
        hit for key, value in node.items() for hit in nullable_without_type(value, f"{where}/{key}")
    ]


def test_a_null_the_api_sends_is_allowed_by_the_schema_under_openapi_3_0(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    assert nullable_without_type(schema) == []
    response = schema["components"]["schemas"]["Contribution"]["properties"]["response"]
    assert {"$ref": "#/components/schemas/Response"} in response["oneOf"]
    assert {"type": "object", "nullable": True, "enum": [None]} in response["oneOf"]


def test_every_operation_has_a_summary_and_its_errors_with_their_body(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operations = {
        (method, path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }

    assert len(operations) == 23
    assert [key for key, operation in operations.items() if not operation.get("summary")] == []
    for (method, path), operation in operations.items():
        responses = operation["responses"]
        assert {"401", "404", "429"} <= set(responses), path
        assert ("403" in responses) == (method == "post"), path
        for code in ["401", "403", "404", "429"]:
            if code in responses:
                body = responses[code]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}
                assert responses[code]["description"]
    assert "400" in operations[("get", "/api/v1/workshops/")]["responses"]
    assert "400" in operations[("get", "/api/v1/processes/")]["responses"]  # ?forum=
    assert "400" not in operations[("get", "/api/v1/processes/{id}/")]["responses"]
    assert "400" in operations[("get", "/api/v1/search/")]["responses"]  # ?q=, ?forum=
    assert "400" in operations[("post", "/api/v1/workshops/{id}/register/")]["responses"]
    request_error = schema["components"]["schemas"]["RequestError"]
    assert request_error["properties"]["detail"]["type"] == "string"
    assert request_error["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_the_schema_names_its_licence_and_server(api, settings):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    assert schema["info"]["license"]["name"] == "AGPL-3.0-or-later"
    assert schema["info"]["license"]["url"].startswith("https://")
    assert schema["servers"] == [{"url": settings.SITE_URL.rstrip("/")}]


def test_a_refused_filter_answers_with_the_documented_field_errors(api):
    response = api.get("/api/v1/sectors/", {"stakeholder_group": "nobody"})

    assert response.status_code == 400
    assert list(response.json()) == ["stakeholder_group"]
    assert all(isinstance(message, str) for message in response.json()["stakeholder_group"])
