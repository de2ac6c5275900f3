"""Suite-wide fixtures and the rules for tests that need real services.

Tests marked requires_postgres, requires_redis, requires_chromium, requires_java or
requires_poppler skip with
the reason when the service is absent; with FORUM_REQUIRE_SERVICES=1 (set by .ci/run) they fail
instead, so CI never passes by testing less.
"""

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from forum.celery import app as celery_app

CHROMIUM = "/usr/bin/chromium"


def _postgres_missing() -> str | None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "needs PostgreSQL: set DATABASE_URL=postgres://... (as .ci/run does)"
    return None


def _redis_missing() -> str | None:
    if not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 (as .ci/run does)"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"needs Redis, but {settings.REDIS_URL} does not answer ({exc})"
    return None


def _chromium_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


def _java_missing() -> str | None:
    if not shutil.which("java"):
        return "needs Java to run the Nu Html Checker (apt-get install -y default-jre-headless)"
    return None


def _poppler_missing() -> str | None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        return "needs poppler's pdftotext and pdfinfo (apt-get install -y poppler-utils)"
    return None


REQUIREMENTS = {
    "requires_postgres": _postgres_missing,
    "requires_redis": _redis_missing,
    "requires_chromium": _chromium_missing,
    "requires_java": _java_missing,
    "requires_poppler": _poppler_missing,
}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for marker, missing in REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = missing()
        if reason is None:
            continue
        if os.environ.get("FORUM_REQUIRE_SERVICES") == "1":
            pytest.fail(f"FORUM_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    broker = settings.REDIS_URL or "none (Celery eager)"
    return [
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']}); broker: {broker}"
    ]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    database_fixtures = {"db", "transactional_db", "live_server"} & set(item.fixturenames)
    if report.when == "call" and (database_fixtures or item.get_closest_marker("django_db")):
        report.user_properties.append(("database", settings.DATABASES["default"]["ENGINE"]))


def pytest_terminal_summary(terminalreporter):
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []):
        for key, engine in report.user_properties:
            if key == "database":
                vendor = engine.rsplit(".", 1)[-1]
                counts[vendor] = counts.get(vendor, 0) + 1
    for vendor, count in sorted(counts.items()):
        terminalreporter.write_line(f"{count} tests that use the database passed on {vendor}")


@pytest.fixture(autouse=True)
def _pages_computed_when_queries_are_counted(request, settings):
    """A test that counts a page's queries counts them as the page is computed (after any
    write to the database), not as it is served when kept (core.kept_pages): what a kept
    page costs is counted in tests/core/test_kept_pages.py."""
    counting = {"django_assert_num_queries", "django_assert_max_num_queries"}
    if counting & set(request.fixturenames):
        settings.KEPT_PAGES = False


_open_data_base = Path(tempfile.gettempdir()) / f"forum-tests-open-data-{os.getpid()}"
atexit.register(shutil.rmtree, _open_data_base, True)


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_celery(settings):
    """Tests share no cache through Redis, and tasks run in-process unless a test starts a
    real worker (see tests/forum/test_celery.py)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # local-memory caches outlive the settings change: start each test empty
    # A language a test (or a request it made) activated stays on its thread: every test
    # starts in the default language, whatever ran before it on the same xdist worker.
    translation.activate(settings.LANGUAGE_CODE)
    # Hashing demo and factory passwords with PBKDF2 would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The secretariat and the site administrator open /manage/ and /admin/ with a password
    # alone, whatever DEBUG says: the tests of two-factor log-in turn the requirement on
    # (tests/members/test_two_factor.py). Browser tests (live_server) share these settings.
    settings.FORUM_REQUIRE_MFA_FOR_STAFF = False
    # Each test writes its open-data files (forum/open_data_files.py) in a directory of its
    # own, made only when a file is written: no test serves another's rows.
    settings.OPEN_DATA_ROOT = _open_data_base / uuid.uuid4().hex
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Threads that used the database (live servers, Celery workers, concurrency tests) can
    leave their connections open when they end; PostgreSQL then refuses to drop the test
    database at the end of the run. End those sessions before the test database goes."""
    yield

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def _tables_emptied_with_delete():
    """After each test with `transaction=True`, Django empties every table with one
    TRUNCATE; on PostgreSQL that costs about 0.4 s however little the test wrote (each
    table's files are replaced), against 0.03 s for a DELETE of each. Django's foreign keys
    are DEFERRABLE INITIALLY DEFERRED and the flush runs in one transaction, so the order of
    the DELETEs does not matter. Sequences are left alone, as Django's TRUNCATE leaves them."""
    from django.db.backends.postgresql.operations import DatabaseOperations  # noqa: PLC0415

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate
