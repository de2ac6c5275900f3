"""The settings as an operator sets them: each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG_KEYS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_BROKER_URL",
    "EMAIL_BACKEND",
    "MAILERS",
    "FORUM_REQUIRE_MFA_FOR_STAFF",
]
STRONG_KEY = "x7Qp2vT9mZr4Lk8sWn3Jd6Hf1Bc5Ga0Ye2Ui7Op4As9Df3Gh6Jk1Lz8Xc5Vb2Nm"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "forum.example.org",
    "EMAIL_HOST": "smtp.example.org",
}
# Variables of this test run that must not leak into the interpreter under test
# (DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests).
SERVICE_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "FORUM_REQUIRE_MFA_FOR_STAFF",
}


def run_django(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    clean.update({"SQLITE_PATH": str(tmp_path / "db.sqlite3"), **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def read_settings(env, tmp_path) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from django.db import connection; "
        f"print(json.dumps({{k: getattr(settings, k, None) for k in {CONFIG_KEYS!r}}} "
        "| {'vendor': connection.vendor}))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "forum.settings", **env}
    result = run_django(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    # Django 6.1 moved the backend into MAILERS; read whichever this Django uses.
    if config["MAILERS"]:
        config["EMAIL_BACKEND"] = config["MAILERS"]["default"]["BACKEND"]
    return config


def test_with_no_environment_the_portal_runs_embedded(tmp_path):
    config = read_settings({}, tmp_path)

    assert config["vendor"] == "sqlite"
    assert config["CELERY_TASK_ALWAYS_EAGER"] is True
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert config["DEBUG"] is True
    assert config["FORUM_REQUIRE_MFA_FOR_STAFF"] is False  # the demo logs in with passwords


def test_services_come_from_the_environment(tmp_path):
    config = read_settings(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/forum",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "EMAIL_HOST": "smtp.example.org",
        },
        tmp_path,
    )

    assert config["vendor"] == "postgresql"
    assert config["CELERY_TASK_ALWAYS_EAGER"] is False
    assert config["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_turns_on_https_only_cookies_and_redirects(tmp_path):
    config = read_settings(PRODUCTION, tmp_path)

    assert config["DEBUG"] is False
    assert config["SECURE_SSL_REDIRECT"] is True
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["FORUM_REQUIRE_MFA_FOR_STAFF"] is True


def test_the_operator_may_turn_the_two_factor_requirement_off(tmp_path):
    config = read_settings({**PRODUCTION, "FORUM_REQUIRE_MFA_FOR_STAFF": "0"}, tmp_path)

    assert config["FORUM_REQUIRE_MFA_FOR_STAFF"] is False


def test_production_without_a_secret_key_says_how_to_make_one(tmp_path):
    result = run_django(
        "import django; django.setup()",
        {"DJANGO_SETTINGS_MODULE": "forum.settings", "DEBUG": "0"},
        tmp_path,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_is_refused_with_its_name(tmp_path):
    result = run_django(
        "import django; django.setup()",
        {"DJANGO_SETTINGS_MODULE": "forum.settings", "DEBUG": "maybe"},
        tmp_path,
    )

    assert "DEBUG must be one of" in result.stderr


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_check_deploy_is_clean_with_production_settings(tmp_path, database):
    env = dict(PRODUCTION)
    if database == "postgresql":
        env["DATABASE_URL"] = "postgres://forum:secret@db.example.org:5432/forum"
        env["REDIS_URL"] = "redis://redis.example.org:6379/0"
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'DEBUG'])"
    )
    result = run_django(code, {"DJANGO_SETTINGS_MODULE": "forum.settings", **env}, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
