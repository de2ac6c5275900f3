"""Page throughput and latency under gunicorn + PostgreSQL + Redis, beside a bare Django
view served by the same gunicorn in the same run, and each page's query count at two data
sizes (1x and 10x), which must be equal.

The portal runs as in production (DEBUG off, gunicorn -w 4 -k gthread --threads 4) on
127.0.0.1 against a generated forum (see benchmarks/support/dataset.py) in a database of its
own, <DATABASE_URL's name>_1x / _10x (default forum_bench_1x, forum_bench_10x on
postgres://postgres@127.0.0.1:5432/); a second process drives the load. Pages are requested
by a logged-in member. API list endpoints are measured when /api/v1/ exists; else skipped.

    .venv/bin/python benchmarks/pages.py [--seconds 5] [--scales 1 10]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.common import (  # noqa: E402
    PYTHON,
    RESULTS,
    Gunicorn,
    database_drop,
    database_recreate,
    database_url,
    load,
    manage,
    percentile,
    server_env,
    write_result,
)

BARE = {"name": "bare Django view (floor)", "path": "/bench/bare/"}


def prepare(url: str, scale: int) -> dict:
    out = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "support" / "prepare.py"), "--scale", str(scale)],
        cwd=ROOT,
        env=server_env(url),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit("generating the data set failed")
    return json.loads(out.stdout)


def measure(url: str, data: dict, seconds: float) -> list[dict]:
    server = Gunicorn(url)
    try:
        targets = [BARE] + [t for t in data["targets"] if t["status"] == 200]
        spec = {
            "mode": "pages",
            "port": server.port,
            "seconds": seconds,
            "processes": 2,
            "threads": 4,
            "headers": {"Cookie": f"sessionid={data['session']}"},
            "targets": targets,
        }
        figures = load(spec)["targets"]
    finally:
        server.stop()
    rows = []
    for f in figures:
        lat = f["latencies"]
        rows.append(
            {
                "name": f["name"],
                "path": f["path"],
                "requests": f["requests"],
                "rps": f["requests"] / f["seconds"],
                "median_ms": percentile(lat, 50) * 1000,
                "p95_ms": percentile(lat, 95) * 1000,
                "errors": len(f["errors"]),
                "error_samples": sorted({str(e) for e in f["errors"]})[:5],
            }
        )
    floor = rows[0]["rps"]
    for row in rows:
        row["ratio"] = row["rps"] / floor
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)

    template = database_url("template")
    print("Preparing: migrate a template database, collect static files ...", flush=True)
    database_recreate(template)
    manage(template, "migrate", "--noinput", "-v", "0")
    manage(template, "collectstatic", "--noinput", "-v", "0")

    runs = {}
    for scale in args.scales:
        url = database_url(f"{scale}x")
        database_recreate(url, template=template)
        print(f"Scale {scale}x: generating the data set ...", flush=True)
        data = prepare(url, scale)
        print(f"Scale {scale}x: {args.seconds:g} s of load per page ...", flush=True)
        rows = measure(url, data, args.seconds)
        runs[scale] = {"targets": data["targets"], "rows": rows}
        database_drop(url)
    database_drop(template)

    scales = args.scales
    first = runs[scales[0]]
    by_name = {s: {r["name"]: r for r in runs[s]["rows"]} for s in scales}
    queries = {s: {t["name"]: t for t in runs[s]["targets"]} for s in scales}
    print()
    print(
        "Pages under gunicorn (4 workers x 4 threads), PostgreSQL, Redis; "
        "load: 2 processes x 4 keep-alive connections, logged-in member"
    )
    head = f"{'page':<28}"
    for s in scales:
        head += f" {f'{s}x req/s':>9} {'median':>7} {'p95':>7} {'x floor':>7}"
    head += "".join(f" {f'q {s}x':>6}" for s in scales) + "  flat"
    print(head)
    table = []
    for target in [BARE] + first["targets"]:
        name = target["name"]
        line = f"{name:<28}"
        row = {"page": name, "path": target["path"]}
        status = queries[scales[0]].get(name, {}).get("status", 200)
        if status != 200:
            print(f"{name:<28} skipped: {target['path']} answers {status} (not in this tree)")
            table.append({**row, "skipped": f"HTTP {status}"})
            continue
        for s in scales:
            r = by_name[s].get(name)
            line += (
                f" {r['rps']:>9.0f} {r['median_ms']:>6.1f}ms {r['p95_ms']:>5.1f}ms "
                f"{r['ratio']:>6.0%}"
            )
            row[f"{s}x"] = {k: r[k] for k in ("rps", "median_ms", "p95_ms", "ratio", "errors")}
        counts = [queries[s].get(name, {}).get("queries") for s in scales]
        if name == BARE["name"]:
            counts = [0 for _ in scales]
        line += "".join(f" {c:>6}" for c in counts)
        flat = len(set(counts)) == 1
        row["queries"] = dict(zip([f"{s}x" for s in scales], counts, strict=True))
        row["flat"] = flat
        line += "  yes" if flat else "  NO: grows with the data"
        print(line)
        table.append(row)
    errors = sum(r["errors"] for s in scales for r in runs[s]["rows"])
    print(f"non-200 answers during the load: {errors}")
    out = write_result(
        "pages",
        {
            "server": "gunicorn -w 4 -k gthread --threads 4",
            "seconds_per_page": args.seconds,
            "scales": scales,
            "rows": table,
            "errors": errors,
        },
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
