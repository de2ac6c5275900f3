"""The contribution board with machine translation: its query count and its time, for a
Greek reader, with 5 and 50 Portuguese contributions (each with a comment and a reasoned
response), with translation off, on with no translation stored yet, and on with every text
translated. The count must be the same for both sizes and, translation on, with and
without translations (one query reads all of a page's translations); off, it is one less.

The pages are computed (KEPT_PAGES=0) in-process with Django's test client against
PostgreSQL, <DATABASE_URL's name>_translation, and a local LibreTranslate stand-in
(tests/support/libretranslate_stub.py); what is missing is queued to Redis, where no worker
takes it (the page never waits for it).

    .venv/bin/python benchmarks/translation.py [--requests 20]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.common import (  # noqa: E402
    PYTHON,
    database_drop,
    database_recreate,
    database_url,
    manage,
    server_env,
    write_result,
)

SIZES = (5, 50)


def inside(requests: int) -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from cocreation.models import Comment, Contribution, ReasonedResponse  # noqa: PLC0415
    from core.translation.services import texts_translate  # noqa: PLC0415
    from tests.factories import UserFactory, WorkshopFactory  # noqa: PLC0415
    from tests.factories.health import (  # noqa: PLC0415
        ContributionFactory,
        ReasonedResponseFactory,
    )
    from tests.support.libretranslate_stub import DICTIONARY, Stub  # noqa: PLC0415

    setup_test_environment()
    settings.KEPT_PAGES = False
    settings.ALLOWED_HOSTS = ["testserver"]
    stub = Stub().start()
    settings.LIBRETRANSLATE_URL = stub.url
    title, text, comment, explanation = (
        "Um portal único de dados para todas as câmaras",
        next(t for t in DICTIONARY if t.startswith("Propomos")),
        "Concordo, e os dados devem ser atualizados todos os meses.",
        "Em análise com a Agência para a Modernização Administrativa.",
    )
    reader = UserFactory(preferred_language="el")
    client = Client()
    client.force_login(reader)
    rows = []
    for size in SIZES:
        boards = {}
        for state in ("off", "missing", "translated"):
            workshop = WorkshopFactory()
            for _ in range(size):
                contribution = ContributionFactory(workshop=workshop, title=title, text=text)
                Comment.objects.create(contribution=contribution, author=reader, text=comment)
                ReasonedResponseFactory(contribution=contribution, explanation=explanation)
            boards[state] = workshop
        translated = boards["translated"]
        refs = [
            *[
                ["cocreation.contribution", c.pk, f]
                for c in Contribution.objects.filter(workshop=translated)
                for f in ("title", "text")
            ],
            *[
                ["cocreation.comment", pk, "text"]
                for pk in Comment.objects.filter(contribution__workshop=translated).values_list(
                    "pk", flat=True
                )
            ],
            *[
                ["cocreation.reasonedresponse", pk, "explanation"]
                for pk in ReasonedResponse.objects.filter(
                    contribution__workshop=translated
                ).values_list("pk", flat=True)
            ],
        ]
        settings.MACHINE_TRANSLATION_BACKEND = "libretranslate"
        texts_translate(languages=["el"], refs=refs)
        for state, workshop in boards.items():
            settings.MACHINE_TRANSLATION_BACKEND = "none" if state == "off" else "libretranslate"
            path = reverse("cocreation:contribution_board", args=[workshop.pk])
            client.get(path)  # warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            html = response.content.decode()
            count = len(queries.captured_queries)  # before the next request resets the log
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - started)
            rows.append(
                {
                    "contributions": size,
                    "translation": state,
                    "queries": count,
                    "median_ms": statistics.median(times) * 1000,
                    "shown_translated": html.count('class="machine-translation"'),
                }
            )
    stub.stop()
    return {"rows": rows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        json.dump(inside(args.requests), sys.stdout)
        return
    url = database_url("translation")
    database_recreate(url)
    try:
        manage(url, "migrate", "--noinput", "-v", "0")
        manage(url, "collectstatic", "--noinput", "-v", "0")
        out = subprocess.run(
            [PYTHON, __file__, "--inside", "--requests", str(args.requests)],
            cwd=ROOT,
            env={**server_env(url), "MACHINE_TRANSLATION_BACKEND": "libretranslate"},
            capture_output=True,
            text=True,
        )
        if out.returncode:
            sys.stderr.write(out.stderr)
            raise SystemExit("the board's measurement failed")
        data = json.loads(out.stdout)
    finally:
        database_drop(url)
    print(f"{'contributions':>13} {'translation':>11} {'queries':>7} {'median ms':>9} shown")
    for row in data["rows"]:
        print(
            f"{row['contributions']:>13} {row['translation']:>11} {row['queries']:>7} "
            f"{row['median_ms']:>9.1f} {row['shown_translated']}"
        )
    on = {row["queries"] for row in data["rows"] if row["translation"] != "off"}
    off = {row["queries"] for row in data["rows"] if row["translation"] == "off"}
    data["flat"] = len(on) == 1 and len(off) == 1
    print("query counts flat:", "yes" if data["flat"] else f"NO (on {on}, off {off})")
    print("written to", write_result("translation", data))
    if not data["flat"]:
        raise SystemExit(1)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    main()
