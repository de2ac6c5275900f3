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
