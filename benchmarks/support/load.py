"""The load generator, run as its own process by the benchmarks (JSON in on stdin, JSON out).

mode "pages": for each target in turn, `processes` x `threads` keep-alive connections request
the page for `seconds`; reports requests per second, latencies and non-200 answers.
mode "storm": one thread and connection per request, all released at once by a barrier;
reports each answer's status, latency and order of completion.
"""

import http.client
import json
import multiprocessing
import sys
import threading
import time


def _hammer(port, path, headers, seconds, threads, queue):
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], []
        while (started := time.perf_counter()) < stop_at:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(response.status)
            except (OSError, http.client.HTTPException) as error:
                bad.append(type(error).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, errors))


def pages(spec):
    results = []
    context = multiprocessing.get_context("fork")
    for target in spec["targets"]:
        queue = context.Queue()
        started = time.perf_counter()
        procs = [
            context.Process(
                target=_hammer,
                args=(
                    spec["port"],
                    target["path"],
                    spec.get("headers", {}),
                    spec["seconds"],
                    spec["threads"],
                    queue,
                ),
            )
            for _ in range(spec["processes"])
        ]
        for p in procs:
            p.start()
        latencies, errors = [], []
        for _ in procs:
            lat, err = queue.get()
            latencies += lat
            errors += err
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - started
        results.append(
            {
                "name": target["name"],
                "path": target["path"],
                "requests": len(latencies),
                "seconds": elapsed,
                "latencies": latencies,
                "errors": errors,
            }
        )
    return {"targets": results}


def storm(spec):
    requests = spec["requests"]
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)
    counter = iter(range(len(requests)))
    lock = threading.Lock()

    def worker(i, request):
        conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=120)
        conn.connect()
        barrier.wait()
        started = time.perf_counter()
        try:
            conn.request("POST", request["path"], body=request["body"], headers=request["headers"])
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        ended = time.perf_counter()
        with lock:
            order = next(counter)
        answers[i] = {
            "member": request["member"],
            "status": status,
            "started": started,
            "ended": ended,
            "order": order,
        }
        conn.close()

    threads = [threading.Thread(target=worker, args=(i, r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"answers": answers}


if __name__ == "__main__":
    spec = json.loads(sys.stdin.read())
    result = pages(spec) if spec["mode"] == "pages" else storm(spec)
    json.dump(result, sys.stdout)
