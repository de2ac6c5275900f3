"""The global search (core/search/, issue 30) under gunicorn + PostgreSQL + Redis at two data
sizes (1x and 10x, benchmarks/support/dataset.py), beside the bare Django view served by
the same gunicorn in the same run; each query's result count and query count in process
(Django's test client), which must be the same at both sizes.

The data set is written with bulk_create, which sends no signals: the index is built with
`manage.py search_rebuild`'s service afterwards, and its time and size are printed. Every
text of the data set is the same English sentence (dataset.TEXT) under titles such as
"Contribution 1234": a word of that sentence matches thousands of rows (every workshop,
contribution, reasoned response, plan, commitment and event), a number only the few titles
that hold it, and a misspelt "Contributon" finds no word, so that the titles alike by
trigrams (pg_trgm) are searched instead: every contribution's and response's title.

Each search is asked by one visitor at a time (wrk, 1 connection: the time a person waits
for their results on the 2-core machine), then by CONNECTIONS at once (the throughput, and
the waits when the server is saturated: each request then queues behind the others).

The target (issue 30, item 7): each search's p95 under 100 ms at 10x on the 2-core machine,
read on the visitor's own wait (1 connection), and its query count independent of the
number of results. The script exits non-zero when a p95 at 10x is over it, a count is not
flat, or an answer was not a 200.

    .venv/bin/python benchmarks/search.py [--seconds 5] [--scales 1 10]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pages import BARE, CONNECTIONS, SERVER, SERVER_LABEL, measure_wrk  # noqa: E402
from benchmarks.support.common import (  # noqa: E402
    PYTHON,
    RESULTS,
    Gunicorn,
    database_drop,
    database_recreate,
    database_url,
    manage,
    server_env,
    write_result,
)

TARGET_P95_MS = 100
# The floor of the anonymous searches: the bare view without the member's session cookie
# (with it, the middleware reads the session and the member).
BARE_ANON = {"name": "bare view, anonymous (floor)", "path": "/bench/bare/", "anonymous": True}
FLOORS = [BARE, BARE_ANON]
# (name, query string without the forum, kind): each measured as the logged-in member and
# as an anonymous visitor. "{forum}" is the default forum's short name.
QUERIES = [
    ("common word", "q=budget", "", "every text holds it"),
    ("rare word", "q=1234", "", "a number in a few titles"),
    ("two-word phrase", "q=%22public+money%22", "", "quoted: the words side by side"),
    ("misspelt word", "q=contributon", "", "no word matches: titles alike by trigrams"),
    ("one kind", "q=budget&kind=contribution", "contribution", "a page of 20 contributions"),
    ("forum filter", "q=budget&forum={forum}", "", "every kind, in one forum"),
]


def targets(forum: str) -> list[dict]:
    found = []
    for name, query, kind, _note in QUERIES:
        for anonymous in (False, True):
            found.append(
                {
                    "name": f"{name}{' (anon.)' if anonymous else ''}",
                    "query": name,
                    "path": "/search/?" + query.format(forum=forum),
                    "kind": kind,
                    "anonymous": anonymous,
                }
            )
    return found


def inside(scale: int) -> dict:
    """In the server's environment: generate the data set, build the index, and count each
    search's results and queries with Django's test client."""
    import django  # noqa: PLC0415

    django.setup()
    from urllib.parse import parse_qs, urlsplit  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: PLC0415

    from benchmarks.support.dataset import generate, session_for  # noqa: PLC0415
    from core.search import selectors  # noqa: PLC0415
    from core.search.forms import SearchForm  # noqa: PLC0415
    from core.search.models import SearchEntry  # noqa: PLC0415
    from core.search.services import search_rebuild  # noqa: PLC0415
    from members.models import Forum  # noqa: PLC0415

    started = time.perf_counter()
    data = generate(scale)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    per_kind = search_rebuild()
    rebuild = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    viewer = get_user_model().objects.get(pk=data["viewer"])
    out = {
        "scale": scale,
        "generate_s": generated,
        "rebuild_s": rebuild,
        "entries": SearchEntry.objects.count(),
        "entries_per_kind": per_kind,
        "session": session_for(viewer.pk),
        "targets": targets(Forum.objects.default().slug),
    }
    setup_test_environment()
    settings.KEPT_PAGES = False
    member = Client()
    member.force_login(viewer)
    anonymous = Client()
    for target in out["targets"]:
        client = anonymous if target["anonymous"] else member
        client.get(target["path"]).getvalue()  # warm: the forms' choices, the header's facts
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target["path"])
            response.getvalue()
        target["queries"] = len(queries.captured_queries)
        target["status"] = response.status_code
        form = SearchForm({k: v[0] for k, v in parse_qs(urlsplit(target["path"]).query).items()})
        assert form.is_valid(), form.errors
        results = selectors.search(
            text=form.cleaned_data["q"],
            user=AnonymousUser() if target["anonymous"] else viewer,
            filters=selectors.Filters(kind=form.cleaned_data["kind"], forum_id=form.forum_id()),
        )
        group = next((g for g in results.groups if g.kind == target["kind"]), None)
        target["results"] = (group.count if group else 0) if target["kind"] else results.total
        target["more"] = (group.more if group else False) if target["kind"] else results.more
        target["fuzzy"] = results.fuzzy
    return out


def prepare(url: str, scale: int) -> dict:
    out = subprocess.run(
        [PYTHON, __file__, "--inside", str(scale)],
        cwd=ROOT,
        env=server_env(url),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit("generating the data set or counting the queries failed")
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--inside", type=int, metavar="SCALE", help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases (to EXPLAIN the queries)"
    )
    args = parser.parse_args()
    if args.inside:
        json.dump(inside(args.inside), sys.stdout)
        return
    if not subprocess.run(["which", "wrk"], capture_output=True).returncode == 0:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    template = database_url("search_template")
    print("Preparing: migrate a template database, collect static files ...", flush=True)
    database_recreate(template)
    manage(template, "migrate", "--noinput", "-v", "0")
    manage(template, "collectstatic", "--noinput", "-v", "0")

    runs = {}
    for scale in args.scales:
        url = database_url(f"search_{scale}x")
        database_recreate(url, template=template)
        print(f"Scale {scale}x: generating the data set, building the index ...", flush=True)
        data = prepare(url, scale)
        print(
            f"Scale {scale}x: data set in {data['generate_s']:.1f} s; search_rebuild in "
            f"{data['rebuild_s']:.1f} s: {data['entries']:,} entries "
            f"({', '.join(f'{k} {n:,}' for k, n in data['entries_per_kind'].items())})",
            flush=True,
        )
        print(f"Scale {scale}x: {args.seconds:g} s of load per search ...", flush=True)
        server = Gunicorn(url, **SERVER)
        cookie = {"Cookie": f"sessionid={data['session']}"}
        try:
            alone = measure_wrk(
                server, url, FLOORS + data["targets"], cookie, args.seconds, connections=1
            )
            rows = measure_wrk(server, url, FLOORS + data["targets"], cookie, args.seconds)
        finally:
            server.stop()
        runs[scale] = {**data, "rows": rows, "alone": alone}
        if not args.keep:
            database_drop(url)
    database_drop(template)

    scales = args.scales
    last = scales[-1]
    print()
    print(
        f"Search under {SERVER_LABEL}, PostgreSQL, Redis; wrk, 1 thread, 1 s of warm-up then "
        f"{args.seconds:g} s; as the logged-in member and, 'anon.', without a session. "
        "'1 visitor': one connection, one search at a time (its p95 is the target); then "
        f"{CONNECTIONS} connections at once: req/s, p50, p95, p99. CPU: what a request cost "
        "gunicorn and PostgreSQL (from /proc). Results: '+' when a kind had more than the "
        "search counts (core.search.selectors.CAP)"
    )
    head = f"{'search':<28}"
    for s in scales:
        head += f" {f'{s}x alone':>9} {'p95':>7}"
        head += f" {f'{CONNECTIONS} conn.':>9} {'p50':>7} {'p95':>7} {'p99':>7} {'CPU':>6}"
        head += f" {'results':>7}"
    head += "".join(f" {f'q {s}x':>5}" for s in scales) + "  flat"
    print(head)
    table, failures = [], []
    for target in FLOORS + runs[scales[0]]["targets"]:
        name = target["name"]
        row = {"search": name, "path": target["path"]}
        line = f"{name:<28}"
        counts = []
        for s in scales:
            r = next(x for x in runs[s]["rows"] if x["name"] == name)
            a = next(x for x in runs[s]["alone"] if x["name"] == name)
            t = next((x for x in runs[s]["targets"] if x["name"] == name), {})
            results = "" if not t else f"{t['results']:,}{'+' if t['more'] else ''}"
            line += (
                f" {a['median_ms']:>7.1f}ms {a['p95_ms']:>5.1f}ms"
                f" {r['rps']:>9.0f} {r['median_ms']:>5.1f}ms {r['p95_ms']:>5.1f}ms "
                f"{r['p99_ms']:>5.1f}ms {r['server_cpu_ms']:>4.1f}ms {results:>7}"
            )
            row[f"{s}x"] = {
                k: r[k] for k in ("rps", "median_ms", "p95_ms", "p99_ms", "errors", "server_cpu_ms")
            }
            row[f"{s}x"]["alone"] = {
                k: a[k] for k in ("rps", "median_ms", "p95_ms", "p99_ms", "errors")
            }
            for key in ("results", "more", "fuzzy"):
                row[f"{s}x"][key] = t.get(key)
            counts.append(t.get("queries", 0))
            if r["errors"] or a["errors"]:
                failures.append(f"{name} at {s}x: {r['errors'] + a['errors']} answers not 200")
            if not r["requests"]:
                failures.append(f"{name} at {s}x: no answer within the {args.seconds:g} s")
            if t and t["status"] != 200:
                failures.append(f"{name} at {s}x: the test client got {t['status']}")
        flat = len(set(counts)) == 1
        row["queries"] = dict(zip([f"{s}x" for s in scales], counts, strict=True))
        row["flat"] = flat
        line += "".join(f" {c:>5}" for c in counts) + ("  flat" if flat else "  NOT flat")
        print(line)
        if not flat:
            failures.append(f"{name}: {counts} queries at {scales}: not flat")
        if name not in (BARE["name"], BARE_ANON["name"]):
            p95 = row[f"{last}x"]["alone"]["p95_ms"]
            row["target_met"] = p95 < TARGET_P95_MS and row[f"{last}x"]["alone"]["rps"] > 0
            if p95 >= TARGET_P95_MS:
                failures.append(
                    f"{name}: p95 {p95:.1f} ms at {last}x for one visitor (target {TARGET_P95_MS})"
                )
        table.append(row)
    print()
    for s in scales:
        d = runs[s]
        print(
            f"Index at {s}x: {d['entries']:,} entries, search_rebuild {d['rebuild_s']:.1f} s "
            f"(data set generated in {d['generate_s']:.1f} s)"
        )
    out = write_result(
        "search",
        {
            "server": SERVER_LABEL,
            "client": "wrk",
            "connections": [1, CONNECTIONS],
            "seconds_per_search": args.seconds,
            "scales": scales,
            "target_p95_ms": TARGET_P95_MS,
            "queries": [
                {"name": n, "query": q, "kind": k, "note": note} for n, q, k, note in QUERIES
            ],
            "index": {
                f"{s}x": {
                    "entries": runs[s]["entries"],
                    "entries_per_kind": runs[s]["entries_per_kind"],
                    "rebuild_s": runs[s]["rebuild_s"],
                }
                for s in scales
            },
            "rows": table,
            "failures": failures,
        },
    )
    print(f"written to {out.relative_to(ROOT)}")
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"  {failure}")
        raise SystemExit(1)
    print(f"every search's p95 at {last}x under {TARGET_P95_MS} ms, every query count flat")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.support.settings")
    main()
