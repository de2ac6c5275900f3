"""The portal can be put on a phone's home screen: every page links a web app manifest, in
the visitor's language, with icons that exist."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_and_its_icons_exist(client, settings):
    settings.SITE_NAME = "Open Government Forum"
    page = client.get("/workshops/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page

    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Open Government Forum"
    assert manifest["short_name"] == "OGF"  # a long name is shortened to its initials
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_the_manifest_speaks_the_visitors_language(client, settings):
    settings.SITE_SHORT_NAME = "WeOpenGov"
    client.cookies["django_language"] = "el"
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["lang"] == "el"
    assert manifest["short_name"] == "WeOpenGov"
    client.cookies["django_language"] = "en"
    assert client.get("/manifest.webmanifest").json()["description"].startswith("Co-create")


def test_the_manifest_is_read_only(client):
    assert client.post("/manifest.webmanifest").status_code == 405
