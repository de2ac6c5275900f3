"""Page throughput and latency under gunicorn + PostgreSQL + Redis, beside a bare Django
view served by the same gunicorn in the same run, and each page's query count at two data
sizes (1x and 10x), which must be equal.

The portal runs as in production (DEBUG off, gunicorn -w 4 -k gthread --threads 4) on
127.0.0.1 against a generated forum (see benchmarks/support/dataset.py) in a database of its
own, <DATABASE_URL's name>_1x / _10x (default forum_bench_1x, forum_bench_10x on
postgres://postgres@127.0.0.1:5432/); a second process drives the load. Pages are requested
by a logged-in member, those marked "anonymous" (forum health) without a session. API list
endpoints are measured when /api/v1/ exists; else skipped.

    .venv/bin/python benchmarks/pages.py [--seconds 5] [--scales 1 10]
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.common import (  # noqa: E402
    PYTHON,
    RESULTS,
    Gunicorn,
    cpu_per_request,
    database_drop,
    database_recreate,
    database_url,
    load,
    manage,
    percentile,
    server_cpu,
    server_env,
    write_result,
)

BARE = {"name": "bare Django view (floor)", "path": "/bench/bare/"}
# The floor of the pages an anonymous visitor asks for: the same view without the member's
# session cookie (with it, the middleware reads the session and the member).
BARE_ANON = {"name": "bare view, anonymous (floor)", "path": "/bench/bare/", "anonymous": True}
FLOORS = [BARE, BARE_ANON]
# As in production (Dockerfile, docker-compose.yml): gunicorn's sync workers, three of them.
# Measured on this 2-core machine (wrk, 8 connections, the 1x data): gthread with 4 workers
# of 4 threads, the benchmark's server until 2026-12-05, served as much of the bare view but
# a third to a half less of each page (the empty page 468 a second against 708, the
# workshop list 126 against 142, the board 36 against 62): sixteen threads take turns on
# four processes' GILs while rendering. Five sync workers served less than three.
SERVER = {"workers": 3, "worker_class": "sync"}
SERVER_LABEL = "gunicorn -w 3 (sync workers, as in production)"
# The busy mode: kept pages while the forum is written to (a member's name, WRITES_PER_SECOND
# times a second, each a new content generation): the pages that follow every write are
# computed again after each; forum health's anonymous pages follow only its stored reports.
WRITES_PER_SECOND = 20
WARM_SECONDS = 1  # each page is requested this long first: every worker compiles its templates
CONNECTIONS = 8  # keep-alive connections, as many as the Python client's 2 x 4

# wrk (Debian's package `wrk`, written in C) asks about three times as much of a bare view as
# the Python client below can on these 2 cores: with the Python client the floor measured
# the client, not the server, and every page's share of it looked larger than it is. Each
# answer's status is checked in Lua (wrk alone counts only 4xx and 5xx as errors; a page
# that redirected to the log-in form would have looked fast); the latencies' percentiles
# are printed as JSON when the run is done.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "us": %d, "p50": %d, "p95": %d, "p99": %d, "wrong": %d, "socket": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), wrong, e.connect + e.read + e.write + e.timeout))
end
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_wrk(
    server,
    url: str,
    targets: list[dict],
    headers: dict,
    seconds: float,
    connections: int = CONNECTIONS,
) -> list[dict]:
    """Each target under wrk's load, with the CPU a request cost the server (gunicorn and
    PostgreSQL, from /proc) and the share of a core wrk itself used: a large file can keep
    wrk busy copying bytes before the server is (then the share of the floor measures the
    client, and the server's CPU a request tells what the answer costs)."""
    port = server.port
    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        for target in targets:
            command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s"]
            command += ["-s", script.name, "--timeout", "30s"]
            sent = {**({} if target.get("anonymous") else headers), **target.get("headers", {})}
            for name, value in sent.items():
                command += ["-H", f"{name}: {value}"]
            warm = [*command[:6], f"{WARM_SECONDS}s", *command[7:]]
            subprocess.run(
                [*warm, f"http://127.0.0.1:{port}{target['path']}"],
                capture_output=True,
                check=True,
            )
            before = server_cpu(server, url)
            client_before = _children_cpu()
            out = subprocess.run(
                [*command, f"http://127.0.0.1:{port}{target['path']}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            client_after = _children_cpu()  # before psql (a child too) reads the server's
            after = server_cpu(server, url)
            figures = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
            errors = figures["wrong"] + figures["socket"]
            rows.append(
                {
                    "name": target["name"],
                    "path": target["path"],
                    "requests": figures["requests"],
                    "rps": figures["requests"] / (figures["us"] / 1e6),
                    "median_ms": figures["p50"] / 1000,
                    "p95_ms": figures["p95"] / 1000,
                    "p99_ms": figures["p99"] / 1000,
                    "errors": errors,
                    "error_samples": [f"{errors} answers not 200"] if errors else [],
                    "server_cpu_ms": sum(
                        cpu_per_request(before, after, max(figures["requests"], 1)).values()
                    ),
                    "client_cpu_share": (client_after - client_before) / seconds,
                }
            )
    return rows


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


def _writer(url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, str(ROOT / "benchmarks" / "support" / "writer.py"), str(WRITES_PER_SECOND)],
        cwd=ROOT,
        env={**server_env(url), "KEPT_PAGES": "1"},
        stdout=subprocess.PIPE,
        text=True,
    )


def measure(
    url: str, data: dict, seconds: float, client: str, kept: bool, busy: bool = False
) -> list[dict]:
    server = Gunicorn(url, **SERVER, env={"KEPT_PAGES": "1" if kept else "0"})
    writer = None
    try:
        targets = FLOORS + [t for t in data["targets"] if t["status"] == 200]
        if busy:  # the anonymous visitors' pages, while the forum is written to
            targets = FLOORS + [t for t in targets[2:] if t.get("anonymous")]
            writer = _writer(url)
        if client == "wrk":
            headers = {"Cookie": f"sessionid={data['session']}"}
            rows = measure_wrk(server, url, targets, headers, seconds)
            for target, row in zip(targets, rows, strict=True):
                floor = rows[1] if target.get("anonymous") else rows[0]  # its own floor
                row["ratio"] = row["rps"] / floor["rps"]
                cpu = row["server_cpu_ms"]
                row["cpu_ratio"] = floor["server_cpu_ms"] / cpu if cpu else 0
            return rows
        spec = {
            "mode": "pages",
            "port": server.port,
            "seconds": seconds,
            "processes": 2,
            "threads": CONNECTIONS // 2,
            "headers": {"Cookie": f"sessionid={data['session']}"},
            "targets": targets,
        }
        figures = load(spec)["targets"]
    finally:
        if writer is not None:
            ended = writer.poll()  # it writes until stopped: an end meanwhile is a failure
            writer.terminate()
            print(f"  writer: {writer.communicate(timeout=30)[0].strip()}", flush=True)
            if ended is not None:
                raise SystemExit(f"the writer stopped (exit {ended}) before the load ended")
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
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="the load client: wrk when installed (apt-get install wrk), else Python's",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="measure only the pages whose name holds one of these (and the floors)",
    )
    args = parser.parse_args()
    if args.client == "python":
        print(
            "wrk is not installed (apt-get install wrk): the Python client is the bottleneck "
            "at the floor, and every page's share of the floor reads about three times too high",
            flush=True,
        )
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
        if args.only:
            data["targets"] = [
                t
                for t in data["targets"]
                if t["path"].startswith("/bench/") or any(o in t["name"] for o in args.only)
            ]
        print(f"Scale {scale}x: {args.seconds:g} s of load per page, kept ...", flush=True)
        rows = measure(url, data, args.seconds, args.client, kept=True)
        print(f"Scale {scale}x: {args.seconds:g} s of load per page, computed ...", flush=True)
        computed = measure(url, data, args.seconds, args.client, kept=False)
        print(
            f"Scale {scale}x: {args.seconds:g} s of load per anonymous page, kept, "
            f"{WRITES_PER_SECOND} writes a second ...",
            flush=True,
        )
        busy = measure(url, data, args.seconds, args.client, kept=True, busy=True)
        runs[scale] = {
            "targets": data["targets"],
            "rows": rows,
            "computed": computed,
            "busy": busy,
        }
        database_drop(url)
    database_drop(template)

    scales = args.scales
    first = runs[scales[0]]
    queries = {s: {t["name"]: t for t in runs[s]["targets"]} for s in scales}
    client = "wrk, 1 thread" if args.client == "wrk" else "Python, 2 processes"
    table = []
    modes = (
        ("rows", "kept (core.kept_pages)"),
        ("computed", "computed"),
        ("busy", f"kept, while the forum is written to {WRITES_PER_SECOND} times a second"),
    )
    for mode, label in modes:
        by_name = {s: {r["name"]: r for r in runs[s][mode]} for s in scales}
        print()
        print(
            f"Pages {label}, under {SERVER_LABEL}, PostgreSQL, Redis; "
            f"load: {client}, {CONNECTIONS} connections, logged-in member (those marked "
            "'anon.' without a session, as a share of the anonymous floor)"
        )
        head = f"{'page':<28}"
        for s in scales:
            head += f" {f'{s}x req/s':>9} {'median':>7} {'p95':>7} {'x floor':>7}"
        head += "".join(f" {f'q {s}x':>6}" for s in scales) + "  flat"
        print(head)
        for target in FLOORS + first["targets"]:
            name = target["name"]
            line = f"{name:<28}"
            row = next((r for r in table if r["page"] == name), None)
            if row is None:
                row = {"page": name, "path": target["path"]}
                table.append(row)
            if mode == "busy" and name not in by_name[scales[0]]:
                continue  # measured for the anonymous pages only
            status = queries[scales[0]].get(name, {}).get("status", 200)
            if status != 200:
                print(f"{name:<28} skipped: {target['path']} answers {status} (not in this tree)")
                row["skipped"] = f"HTTP {status}"
                continue
            suffix = {"rows": "", "computed": "_computed", "busy": "_busy"}[mode]
            for s in scales:
                r = by_name[s].get(name)
                line += (
                    f" {r['rps']:>9.0f} {r['median_ms']:>6.1f}ms {r['p95_ms']:>5.1f}ms "
                    f"{r['ratio']:>6.0%}"
                )
                row[f"{s}x{suffix}"] = {
                    k: r[k] for k in ("rps", "median_ms", "p95_ms", "ratio", "errors")
                }
            if mode == "busy":
                print(line)
                continue
            count = "queries" if mode == "computed" else "queries_kept"
            counts = [queries[s].get(name, {}).get(count) for s in scales]
            if name in (BARE["name"], BARE_ANON["name"]):
                counts = [0 for _ in scales]
            line += "".join(f" {c:>6}" for c in counts)
            flat = len(set(counts)) == 1
            row[count] = dict(zip([f"{s}x" for s in scales], counts, strict=True))
            row["flat" if mode == "computed" else "flat_kept"] = flat
            line += "  yes" if flat else "  NO: grows with the data"
            print(line)
    print()
    print("Size of each answer (bytes): " + ", ".join(f"{s}x" for s in scales))
    for target in first["targets"]:
        sizes = [queries[s].get(target["name"], {}).get("bytes") for s in scales]
        print(f"{target['name']:<28}" + "".join(f" {b:>10}" for b in sizes if b is not None))
        row = next((r for r in table if r["page"] == target["name"]), None)
        if row is not None:
            row["bytes"] = dict(zip([f"{s}x" for s in scales], sizes, strict=True))
    if args.client == "wrk":
        print()
        print(
            "Kept pages: the server's CPU a request (gunicorn + PostgreSQL, ms), its share of "
            "the floor's (the floor's CPU a request / the page's), and wrk's share of a core "
            "(at 90% or more the client, not the server, sets the rate: 'client-bound'): "
            + ", ".join(f"{s}x" for s in scales)
        )
        for target in FLOORS + first["targets"]:
            line = f"{target['name']:<28}"
            row = next((r for r in table if r["page"] == target["name"]), None)
            for s in scales:
                r = {x["name"]: x for x in runs[s]["rows"]}.get(target["name"])
                if r is None:
                    continue
                bound = "client-bound" if r["client_cpu_share"] >= 0.9 else ""
                line += (
                    f" {r['server_cpu_ms']:>7.2f}ms {r['cpu_ratio']:>5.0%} "
                    f"wrk {r['client_cpu_share']:>4.0%} {bound:<12}"
                )
                if row is not None:
                    row.setdefault(f"{s}x", {}).update(
                        {k: r[k] for k in ("server_cpu_ms", "cpu_ratio", "client_cpu_share")}
                    )
            print(line)
    errors = sum(r["errors"] for s in scales for m, _label in modes for r in runs[s][m])
    print(f"non-200 answers during the load: {errors}")
    out = write_result(
        "pages",
        {
            "server": SERVER_LABEL,
            "client": args.client,
            "seconds_per_page": args.seconds,
            "scales": scales,
            "rows": table,
            "errors": errors,
        },
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
