"""The tile server is a setting read from the environment; the CSP lets its images in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def map_settings(tmp_path, **env) -> dict:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EVENTS_MAP_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "forum.settings", "SQLITE_PATH": str(tmp_path / "db"), **env}
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.EVENTS_MAP_TILE_URL, s.CSP_DIRECTIVES['img-src']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (None, ["https://tile.openstreetmap.org"]),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", ["https://*.tiles.example.org"]),
        ("", []),
    ],
)
def test_the_tile_servers_origin_is_allowed_for_images(tmp_path, url, allowed):
    env = {} if url is None else {"EVENTS_MAP_TILE_URL": url}

    tiles, img_src = map_settings(tmp_path, **env)

    assert img_src == ["'self'", "data:", *allowed]
    if url is not None:
        assert tiles == url
