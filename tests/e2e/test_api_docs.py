"""The API documentation renders in the browser from our own files, with no CSP error."""

import pytest
from playwright.sync_api import expect

from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_offline_without_console_errors(page, live_server):
    WorkshopFactory()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    outside = []
    page.on(
        "request",
        lambda request: request.url.startswith(live_server.url) or outside.append(request.url),
    )

    page.goto(live_server.url + "/api/docs/")

    expect(page.get_by_text("Open Government Forum API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/workshops/", exact=True).first).to_be_visible()
    expect(page.get_by_text("/api/v1/search/", exact=True).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert errors == []  # no CSP violation, no missing asset
    assert outside == []  # nothing from a CDN


def test_the_open_data_page_renders_without_console_errors(page, live_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url + "/open-data/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    page.wait_for_load_state("networkidle")
    assert errors == []
