"""The load generator, run as its own process by the benchmarks (JSON in on stdin, JSON out).

mode "pages": for each target in turn, `processes` x `threads` keep-alive connections request
the page for `seconds`; reports requests per second, latencies and non-200 answers.
mode "storm": one thread and connection per request, all released at once by a barrier;
reports each answer's status, latency and order of completion.
mode "sustained": open loop, as registrations really arrive: request i is sent at
`start + i / rate` whatever the earlier ones' answers, each on its own connection (asyncio, one
thread); its latency counts from that scheduled time, so a server falling behind shows in it
rather than in a slower client. Reports each answer and how late the client sent it (the send
schedule's lag, which must stay small for the figures to be the server's).
"""

import asyncio
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
                    {
                        **({} if target.get("anonymous") else spec.get("headers", {})),
                        **target.get("headers", {}),
                    },
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


async def _sustained(spec):
    port, rate = spec["port"], spec["rate"]
    requests = [
        (
            f"POST {r['path']} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in r["headers"].items())
            + f"Content-Length: {len(r['body'].encode())}\r\n\r\n{r['body']}"
        ).encode()
        for r in spec["requests"]
    ]
    answers = [None] * len(requests)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.5  # every task is created before the first is due

    async def one(i, raw):
        scheduled = start + i / rate
        await asyncio.sleep(scheduled - loop.time())
        sent = loop.time()
        status = None
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(raw)
            await writer.drain()
            head = await asyncio.wait_for(reader.read(), timeout=120)  # to the close
            status = int(head.split(b" ", 2)[1])
            writer.close()
        except (OSError, ValueError, IndexError, TimeoutError) as error:
            status = type(error).__name__
        ended = loop.time()
        answers[i] = {
            "member": spec["requests"][i]["member"],
            "workshop": spec["requests"][i].get("workshop"),
            "status": status,
            "scheduled": scheduled - start,
            "lag": sent - scheduled,
            "latency": ended - scheduled,
            "ended": ended - start,
        }

    await asyncio.gather(*(one(i, raw) for i, raw in enumerate(requests)))
    return {"answers": answers}


def sustained(spec):
    return asyncio.run(_sustained(spec))


if __name__ == "__main__":
    spec = json.loads(sys.stdin.read())
    modes = {"pages": pages, "storm": storm, "sustained": sustained}
    result = modes[spec["mode"]](spec)
    json.dump(result, sys.stdout)
