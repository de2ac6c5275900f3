"""The registration storm: 500 members with logged-in sessions register for one 40-seat
workshop (20 seats for government, 20 for the others) at the same moment, over HTTP, against
gunicorn (-w 4 -k gthread --threads 1), PostgreSQL and Redis. Afterwards the database is
checked: 40 seats confirmed, split as the quotas say, the waiting lists numbered in the
order the registrations were served, and no error.

For comparison: pretix documents a ceiling of 300 to 400 orders a minute per event
(5 to 7 a second) because of its event-wide lock.

    .venv/bin/python benchmarks/storm.py [--members 500]
"""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.common import (  # noqa: E402
    PYTHON,
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

# One thread per worker: registrations are CPU-bound in Python, and threads of one worker
# take turns on the GIL (4 x 4 threads gave 32 a second here, 4 x 1 gave 50).
WORKERS = int(os.environ.get("BENCH_STORM_WORKERS", 4))
THREADS = int(os.environ.get("BENCH_STORM_THREADS", 1))
# The storm again without HTTP, at 1, 2 and 4 processes: if the workshop's lock were the
# limit, more processes would not register more a second.
DIRECT_PROCESSES = (1, 2, 4)


def django_json(url: str, *args: str) -> dict:
    out = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "support" / "prepare.py"), *args],
        cwd=ROOT,
        env=server_env(url),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit("the storm's database step failed")
    return json.loads(out.stdout)


def main():
    url = database_url("storm")
    print("Preparing the storm: migrate, 500 members with sessions, one 40-seat workshop ...")
    database_recreate(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    data = django_json(url, "--storm")
    workshop = data["workshop"]
    alphabet = string.ascii_letters + string.digits
    requests = []
    for member in data["members"]:
        token = "".join(secrets.choice(alphabet) for _ in range(32))
        requests.append(
            {
                "member": member["pk"],
                "path": f"/workshops/{workshop}/register/",
                "body": "accessibility_needs=&agrees_to_be_named=on",
                "headers": {
                    "Cookie": f"sessionid={member['session']}; csrftoken={token}",
                    "X-CSRFToken": token,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            }
        )
    server = Gunicorn(url, workers=WORKERS, threads=THREADS)
    try:
        answers = load({"mode": "storm", "port": server.port, "requests": requests})["answers"]
    finally:
        server.stop()
    db = django_json(url, "--verify-storm", str(workshop))
    # The same storm without HTTP, in the same run: what the seat allocation handles.
    directs = []
    for processes in DIRECT_PROCESSES:
        direct = django_json(url, "--storm-direct", str(processes))
        direct["db"] = django_json(url, "--verify-storm", str(direct["workshop"]))
        directs.append(direct)
    database_drop(url)

    latencies = [a["ended"] - a["started"] for a in answers]
    wall = max(a["ended"] for a in answers) - min(a["started"] for a in answers)
    statuses = {}
    for a in answers:
        statuses[str(a["status"])] = statuses.get(str(a["status"]), 0) + 1
    errors = sum(n for status, n in statuses.items() if status != "302")
    quotas = data["quotas"]
    split_ok = db["split"] == {g: n for g, n in quotas.items() if n}
    result = {
        "members": len(requests),
        "seats": sum(quotas.values()),
        "quotas": quotas,
        "statuses": statuses,
        "errors": errors,
        "confirmed": db["confirmed"],
        "split": db["split"],
        "split_ok": split_ok,
        "waiting": db["waiting"],
        "registrations": db["registrations"],
        "waiting_order_ok": db["waiting_order_ok"],
        "seconds": wall,
        "per_second": len(requests) / wall,
        "median_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000,
        "gunicorn": f"-w {server.workers} --threads {server.threads}",
        "direct": [
            {
                "processes": direct["processes"],
                "per_second": direct["per_second"],
                "median_ms": percentile(direct["latencies"], 50) * 1000,
                "p95_ms": percentile(direct["latencies"], 95) * 1000,
                "confirmed": direct["db"]["confirmed"],
                "split": direct["db"]["split"],
                "waiting_order_ok": direct["db"]["waiting_order_ok"],
            }
            for direct in directs
        ],
    }
    print(f"Registration storm: {len(requests)} members, one {result['seats']}-seat workshop")
    print(f"  answers: {statuses} (302 = registered, sent back to the workshop page)")
    print(
        f"  seats confirmed: {db['confirmed']} (must be {result['seats']}), split {db['split']}"
        f" (quotas {quotas}) {'ok' if split_ok else 'WRONG'}"
    )
    print(
        f"  waiting list: {db['waiting']}, numbered in the order served: "
        f"{'yes' if db['waiting_order_ok'] else 'NO'}; registrations stored: "
        f"{db['registrations']}"
    )
    print(f"  errors: {errors} (must be 0)")
    print(
        f"  latency: median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
        f"p99 {result['p99_ms']:.0f} ms, max {result['max_ms']:.0f} ms"
    )
    print(
        f"  {result['per_second']:.0f} registrations a second ({wall:.2f} s for all); "
        f"pretix's documented ceiling: 5 to 7 a second per event"
    )
    for direct in result["direct"]:
        print(
            f"  the same storm without HTTP, {direct['processes']} process(es) calling the "
            f"service: {direct['per_second']:.0f} registrations a second, median "
            f"{direct['median_ms']:.0f} ms, seats {direct['confirmed']} split "
            f"{direct['split']}, waiting list in order: "
            f"{'yes' if direct['waiting_order_ok'] else 'NO'}"
        )
    out = write_result("storm", result)
    print(f"written to {out.relative_to(ROOT)}")
    ok = (
        db["confirmed"] == result["seats"]
        and split_ok
        and errors == 0
        and db["waiting_order_ok"]
        and db["registrations"] == len(requests)
        and all(
            d["confirmed"] == result["seats"] and d["waiting_order_ok"] for d in result["direct"]
        )
    )
    if not ok:
        raise SystemExit("the storm broke a rule: see above")


if __name__ == "__main__":
    main()
