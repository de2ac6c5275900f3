"""Every page fits a phone: crawled at 360×740 as a member in English and in Greek (long
words), and as an anonymous visitor, a facilitator and the secretariat in Greek (their pages'
longest words; English adds no page to them, the member's English crawl reaches the public
pages too, and each English crawl took a sixth of the test's time), on the demo data.

From the home page, every page reachable in two clicks (the links of the home page, and the
links of those pages) is opened; a page fails when it scrolls sideways or when the header
takes more than 15% of the first screen. Pages of one address pattern with different ids (the
eighth commitment, the twelfth workshop's minutes) are one page here: the same template, and
visiting each would cost minutes without finding more.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from members.models import User

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 360, 740
HEADER_SHARE = 0.15
DEMO_PEOPLE = {
    "member": "member@demo.example.org",
    "facilitator": "facilitator@demo.example.org",
    "secretariat": "secretariat@demo.example.org",
}
# Not pages to read: files, feeds, the API, actions behind a link, and the admin.
NOT_PAGES = re.compile(
    r"(/media/|/static/|/api/|/admin/|/i18n/|logout|calendar|/feed|\.(ics|csv|json|jsonl|pdf|zip"
    r"|png|svg|webmanifest|gz|xlsx)$|/download|/open/$|/unsubscribe)"
)
MEASURE = """() => {
  const header = document.querySelector('.site-header');
  return {
    width: document.documentElement.scrollWidth,
    header: header ? header.getBoundingClientRect().height : 0,
    wide: [...document.querySelectorAll('main *')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                   && !e.closest('.table-scroll'))
      .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')),
  };
}"""


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_data", stdout=io.StringIO())


def _pattern(path: str) -> str:
    """The address pattern a path belongs to (its route and the names of its query)."""
    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return parts.path
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return f"{match.route}?{'&'.join(keys)}"


def _logged_in_cookie(live_server, email: str) -> dict:
    client = Client()
    client.force_login(User.objects.get(email=email))
    session = client.cookies["sessionid"]
    return {"name": "sessionid", "value": session.value, "url": live_server.url}


def test_every_page_fits_a_phone(browser, live_server, demo):
    """One test for the four people and the two languages: the demo data is made once."""
    problems, visited = [], 0
    crawls = {"anonymous": ["el"], "member": ["en", "el"]}
    crawls |= {"facilitator": ["el"], "secretariat": ["el"]}
    for who, languages in crawls.items():
        for language in languages:
            found, seen = _crawl(browser, live_server, who, language)
            problems += [f"{who}, {language}: {problem}" for problem in found]
            visited += seen
    assert visited > 150, f"only {visited} pages were reached"
    assert not problems, "\n".join(problems)


def _crawl(browser, live_server, who, language) -> tuple[list[str], int]:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if who != "anonymous":
        cookies.append(_logged_in_cookie(live_server, DEMO_PEOPLE[who]))
    context.add_cookies(cookies)
    page = context.new_page()

    seen_patterns: set[str] = set()
    frontier = ["/"]
    problems = []
    visited = 0
    for depth in range(3):
        found = []
        for path in frontier:
            pattern = _pattern(path)
            if pattern in seen_patterns:
                continue
            seen_patterns.add(pattern)
            try:
                response = page.goto(live_server.url + path, wait_until="domcontentloaded")
            except PlaywrightError as error:  # a file to download, not a page to read
                if "Download is starting" in str(error):
                    continue
                raise
            if response.status >= 500:
                problems.append(f"{path}: {response.status}")
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            visited += 1
            figures = page.evaluate(MEASURE)
            if figures["width"] > WIDTH:
                problems.append(f"{path} scrolls sideways: {figures['width']} px {figures['wide']}")
            if figures["header"] > HEADER_SHARE * HEIGHT:
                problems.append(f"{path}: the header takes {figures['header']:.0f} px")
            if depth < 2:
                for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                    if not href.startswith(live_server.url):
                        continue
                    link = href[len(live_server.url) :].split("#")[0]
                    if link and not NOT_PAGES.search(urlsplit(link).path):
                        found.append(link)
        frontier = list(dict.fromkeys(found))
    context.close()
    return problems, visited
