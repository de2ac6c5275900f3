"""What the HTTP benchmarks share: the PostgreSQL databases they create, the gunicorn they
start on 127.0.0.1, and the figures they print and write under benchmarks/results/."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/forum_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6"


def base_url() -> urllib.parse.ParseResult:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    parsed = urllib.parse.urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("The HTTP benchmarks need PostgreSQL: set DATABASE_URL=postgres://...")
    return parsed


def database_url(suffix: str) -> str:
    """The URL of the benchmark's own database <name>_<suffix> (forum_bench_1x ...)."""
    parsed = base_url()
    name = (parsed.path.lstrip("/") or "forum_bench") + "_" + suffix
    return parsed._replace(path="/" + name).geturl()


def _psql(sql: str, *, out: bool = False) -> str | None:
    parsed = base_url()
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = urllib.parse.unquote(parsed.password)
    command = [
        "psql",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
        "-d",
        "postgres",
        "-c",
        sql,
    ]
    if out:
        command[1:1] = ["-A", "-t"]
        return subprocess.run(command, check=True, env=env, capture_output=True, text=True).stdout
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return None


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) `pid` has used; 0 for a process gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def server_cpu(server: "Gunicorn", url: str) -> dict:
    """CPU seconds used so far by the server's gunicorn processes and by the PostgreSQL
    backends connected to its database (Linux /proc): what a request costs the machine,
    steadier than its latency on a shared machine."""
    pids = _psql(
        f"SELECT pid FROM pg_stat_activity WHERE datname = '{db_name(url)}' "  # noqa: S608 -- our name
        "AND pid <> pg_backend_pid()",
        out=True,
    )
    gunicorn = [server.process.pid, *_children(server.process.pid)]
    return {
        "gunicorn": sum(_cpu_of(pid) for pid in gunicorn),
        "postgresql": {int(pid): _cpu_of(int(pid)) for pid in pids.split()},
    }


def cpu_per_request(before: dict, after: dict, requests: int) -> dict:
    """Milliseconds of CPU a request cost the server and the database, from two server_cpu."""
    database = sum(
        cpu - before["postgresql"].get(pid, 0.0) for pid, cpu in after["postgresql"].items()
    )
    return {
        "gunicorn_ms": (after["gunicorn"] - before["gunicorn"]) * 1000 / requests,
        "postgresql_ms": database * 1000 / requests,
    }


def db_name(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


def open_data_root(url: str) -> Path:
    """Where the server writes the open-data files of the database at `url`."""
    return Path(tempfile.gettempdir()) / f"forum-open-data-{db_name(url)}"


def database_recreate(url: str, template: str | None = None) -> None:
    name = db_name(url)
    shutil.rmtree(open_data_root(url), ignore_errors=True)  # another run's rows
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{db_name(template)}"' if template else ""))


def database_drop(url: str) -> None:
    _psql(f'DROP DATABASE IF EXISTS "{db_name(url)}" WITH (FORCE)')


def server_env(db_url: str) -> dict:
    """The production configuration: DEBUG off, PostgreSQL, Redis; plain HTTP on 127.0.0.1."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.support.settings",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": db_url,
        # The open-data files of this database's rows (forum/open_data_files.py), not another's.
        "OPEN_DATA_ROOT": str(open_data_root(db_url)),
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        "PYTHONPATH": str(ROOT),
        # One member requests each endpoint hundreds of times a second: the API's per-member
        # limit (600 a minute) would measure the throttle's 429s, not the endpoint.
        "API_THROTTLE_ANON": "10000000/minute",
        "API_THROTTLE_USER": "10000000/minute",
    }


def manage(db_url: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=server_env(db_url), check=True)


def free_port() -> int:
    """A free port on 127.0.0.1: any, or one in BENCH_PORTS ("8900-8949") when a shared machine
    gives each user of it a range."""
    ports = os.environ.get("BENCH_PORTS", "")
    if not ports:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    low, high = (int(p) for p in ports.split("-"))
    for port in range(low, high + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in BENCH_PORTS={ports}")


class Gunicorn:
    """gunicorn serving the portal (and the bare view) on 127.0.0.1, in its own process group."""

    def __init__(
        self, db_url: str, workers: int = 4, threads: int = 4, worker_class="gthread", env=None
    ):
        self.port = free_port()
        RESULTS.mkdir(parents=True, exist_ok=True)  # a clean clone has no results yet
        self.log = open(RESULTS / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "forum.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "-k",
                worker_class,
                *(["--threads", str(threads)] if worker_class == "gthread" else []),
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**server_env(db_url), **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers, self.threads = workers, threads
        self._wait()

    def _wait(self):
        import http.client

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bench/bare/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def load(spec: dict) -> dict:
    """Run the load generator in a second process (the portal's processes keep the rest)."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "support" / "load.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def percentile(values, p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(data, indent=2, default=str))
    return out
