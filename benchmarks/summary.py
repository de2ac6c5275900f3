"""Gather the figures every benchmark wrote under benchmarks/results/ into summary.json and
summary.md (run last by `make bench`)."""

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PARTS = ["pages", "storm", "storm_sustained", "pdf_export", "reminder_job", "search"]


def machine() -> dict:
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import os

    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def pages_md(data) -> list[str]:
    scales = data["scales"]
    lines = []
    for suffix, count, flat, label in (
        ("", "queries_kept", "flat_kept", "kept for their visitor (core/kept_pages.py)"),
        ("_computed", "queries", "flat", "computed for every request (as after any write)"),
    ):
        if suffix and f"{scales[0]}x{suffix}" not in next(
            (r for r in data["rows"] if not r.get("skipped")), {}
        ):
            continue  # a run from before the pages were kept
        head = "| page |"
        rule = "|---|"
        for s in scales:
            head += f" req/s {s}x | median ms {s}x | p95 ms {s}x | x floor {s}x |"
            rule += "---:|---:|---:|---:|"
        head += "".join(f" queries {s}x |" for s in scales) + " flat |"
        rule += "---:|" * len(scales) + "---|"
        lines += [
            f"### Pages {label} ({data['server']}, {data['seconds_per_page']:g} s of load per "
            f"page, load client {data.get('client', 'python')}, logged-in member)",
            "",
            head,
            rule,
        ]
        for row in data["rows"]:
            if row.get("skipped"):
                lines.append(f"| {row['page']} | skipped: `{row['path']}` {row['skipped']} |")
                continue
            line = f"| {row['page']} |"
            for s in scales:
                r = row[f"{s}x{suffix}"]
                line += (
                    f" {r['rps']:.0f} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} |"
                    f" {r['ratio']:.0%} |"
                )
            counts = row.get(count) or row["queries"]
            line += "".join(f" {counts[f'{s}x']} |" for s in scales)
            line += " yes |" if row.get(flat, row["flat"]) else " **NO** |"
            lines.append(line)
        lines.append("")
    lines += [f"Non-200 answers during the load: {data['errors']}.", ""]
    return lines


def storm_md(d) -> list[str]:
    return (
        [
            f"### Registration storm ({d['members']} members, one {d['seats']}-seat workshop)",
            "",
            "| figure | value |",
            "|---|---:|",
            f"| seats confirmed (must be {d['seats']}) | {d['confirmed']} |",
            f"| split by quota {d['quotas']} | {d['split']} "
            f"({'ok' if d['split_ok'] else 'WRONG'}) |",
            f"| waiting list | {d['waiting']} |",
            "| waiting list numbered in the order served | "
            + ("yes |" if d["waiting_order_ok"] else "NO |"),
            f"| errors (must be 0) | {d['errors']} |",
            f"| answers | {d['statuses']} |",
            f"| latency median / p95 / p99 / max (ms) | {d['median_ms']:.0f} / {d['p95_ms']:.0f} / "
            f"{d['p99_ms']:.0f} / {d['max_ms']:.0f} |",
            f"| registrations a second (gunicorn {d.get('gunicorn', '-w 4 --threads 4')}), "
            f"target {d.get('target_per_second', 100)} | {d['per_second']:.0f} ("
            + ("met" if d["per_second"] >= d.get("target_per_second", 100) else "missed")
            + ") |",
        ]
        + (
            [
                f"| CPU a registration, gunicorn / PostgreSQL (ms) | {d['cpu']['gunicorn_ms']:.1f}"
                f" / {d['cpu']['postgresql_ms']:.1f} |"
            ]
            if "cpu" in d
            else []
        )
        + [
            f"| without HTTP, {r['processes']} process(es) calling the service: registrations a "
            f"second (median ms); seats, order | {r['per_second']:.0f} ({r['median_ms']:.0f}); "
            f"{r['confirmed']}, {'in order' if r['waiting_order_ok'] else 'OUT OF ORDER'} |"
            for r in d.get("direct", [])
        ]
        + [""]
    )


def sustained_md(d) -> list[str]:
    p95_ok = d["p95_ms"] < d["target_p95_ms"]
    lines = [
        f"### Sustained registrations ({d['rate']:g} a second for {d['seconds']:g} s, open "
        f"loop, gunicorn {d['gunicorn']})",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| registrations sent | {d['requests']} |",
        f"| errors (must be 0) | {d['errors']} |",
        f"| answers | {d['statuses']} |",
        f"| latency from the scheduled time, median / p95 / p99 / max (ms) | "
        f"{d['median_ms']:.0f} / {d['p95_ms']:.0f} / {d['p99_ms']:.0f} / {d['max_ms']:.0f} |",
        f"| p95 under {d['target_p95_ms']} ms | " + ("met |" if p95_ok else "**missed** |"),
        f"| the client: sent a second; late by median / p99 / max (ms) | "
        f"{d['sent_per_second']:.1f}; {d['lag_median_ms']:.1f} / {d['lag_p99_ms']:.1f} / "
        f"{d['lag_max_ms']:.1f} |",
        f"| last answer, seconds after the first was due | {d['answered_in_s']:.2f} |",
        f"| CPU a registration, gunicorn / PostgreSQL (ms) | {d['cpu']['gunicorn_ms']:.1f} / "
        f"{d['cpu']['postgresql_ms']:.1f} |",
        "",
        "| workshop | registrations | seats by group (quotas) | exact | waiting | in order | "
        "p95 ms |",
        "|---|---:|---|---|---:|---|---:|",
    ]
    for w in d["workshops"]:
        lines.append(
            f"| {w['title']} | {w['requests']} | {w['split']} ({w['quotas']}) | "
            + ("yes" if w["quotas_exact"] else "**NO**")
            + f" | {w['waiting']} | "
            + ("yes" if w["waiting_order_ok"] else "**NO**")
            + f" | {w['p95_ms']:.0f} |"
        )
    return [*lines, ""]


def pdf_md(d) -> list[str]:
    lines = [
        "### Action-plan PDF export",
        "",
        "| plan | seconds | x baseline | target | pages | KiB | peak MiB | + MiB |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    base = d["rows"][0]["seconds"]
    base_mib = d["rows"][0]["peak_mib"]  # the process before any real render
    for r in d["rows"]:
        target = r.get("target_seconds")
        verdict = (
            f"< {target:.0f} s: {'met' if r['seconds'] < target else 'missed'}" if target else ""
        )
        lines.append(
            f"| {r['plan']} | {r['seconds']:.2f} | {r['seconds'] / base:.0f} | {verdict} | "
            f"{r['pages']} | {r['bytes'] / 1024:.0f} | {r['peak_mib']:.0f} | "
            f"{r['peak_mib'] - base_mib:.0f} |"
        )
        if "cached_seconds" in r:
            cached = r["cached_seconds"] * 1000
    lines += ["", f"Repeated export of the unchanged 60x15 plan (cached): {cached:.1f} ms.", ""]
    return lines


def reminders_md(d) -> list[str]:
    lines = [
        f"### Reminder job ({d['reminders']:,} due reminders, {d['vendor']})",
        "",
        "| step | seconds | queries |",
        "|---|---:|---:|",
    ]
    lines += [f"| {r['step']} | {r['seconds']:.3f} | {r['queries']} |" for r in d["steps"]]
    return [*lines, ""]


def search_md(d) -> list[str]:
    scales = d["scales"]
    last = scales[-1]
    head = "| search |"
    rule = "|---|"
    for s in scales:
        head += (
            f" req/s {s}x | p50 ms {s}x | p95 ms {s}x | p99 ms {s}x | CPU ms {s}x | results {s}x |"
        )
        rule += "---:|---:|---:|---:|---:|---:|"
    head += "".join(f" queries {s}x |" for s in scales) + " flat |"
    rule += "---:|" * len(scales) + "---|"
    lines = [
        f"### Search ({d['server']}, wrk with {d['connections']} connections, "
        f"{d['seconds_per_search']:g} s a search; target: p95 under {d['target_p95_ms']} ms "
        f"at {last}x, queries flat)",
        "",
        head,
        rule,
    ]
    for row in d["rows"]:
        line = f"| {row['search']} |"
        for s in scales:
            r = row[f"{s}x"]
            results = "" if r.get("results") is None else f"{r['results']:,}"
            results += "+" if r.get("more") else ""
            line += (
                f" {r['rps']:.0f} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
                f"{r['p99_ms']:.1f} | {r.get('server_cpu_ms', 0):.1f} | {results} |"
            )
        line += "".join(f" {row['queries'][f'{s}x']} |" for s in scales)
        line += " yes |" if row["flat"] else " **NO** |"
        lines.append(line)
    lines.append("")
    for s in scales:
        index = d["index"][f"{s}x"]
        lines.append(
            f"Index at {s}x: {index['entries']:,} entries, `search_rebuild` "
            f"{index['rebuild_s']:.1f} s."
        )
    lines.append(
        "CPU ms: what a search cost gunicorn and PostgreSQL (from /proc), steadier than its "
        "latency on a shared machine. Results: '+' when a kind had more than the search "
        "counts (`core.search.selectors.CAP`)."
    )
    verdict = "; ".join(d["failures"]) if d["failures"] else "every target met"
    return [*lines, "", f"Search: {verdict}.", ""]


def main():
    found = {}
    for part in PARTS:
        path = RESULTS / f"{part}.json"
        if path.exists():
            found[part] = json.loads(path.read_text())
    missing = [p for p in PARTS if p not in found]
    summary = {
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **found,
        "missing": missing,
    }
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    m = summary["machine"]
    lines = [
        "# Benchmark summary",
        "",
        f"Written {summary['written_at']} on {m['cpus']} CPUs, {m['memory']}, Python "
        f"{m['python']}, {m['system']}; load average at the end {m['load_average']}.",
        "",
    ]
    render = {"pages": pages_md, "storm": storm_md, "pdf_export": pdf_md}
    render["reminder_job"] = reminders_md
    render["storm_sustained"] = sustained_md
    render["search"] = search_md
    for part in PARTS:
        if part in found:
            lines += render[part](found[part])
    if missing:
        lines.append(f"Missing (that benchmark did not run): {', '.join(missing)}.")
    (RESULTS / "summary.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"written to {(RESULTS / 'summary.md').relative_to(ROOT)} and summary.json")
    if missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
