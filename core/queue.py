"""Queueing Celery tasks by name, after the transaction commits, so that a service never
imports its app's tasks module (the tasks import the services, never the reverse).

With no broker configured, tasks run eagerly in the calling process. When the broker is
down, the task is not queued: the periodic job or the caller's fallback takes over, and
the request does not fail. A task's own failure is not a broker failure: it is never run a
second time from here.

The broker is tried once (no reconnection attempts: CELERY_BROKER_TRANSPORT_OPTIONS), and
after it failed it is not tried again for `RETRY_AFTER` seconds, so that a request which
tells fifty people does not wait fifty times for a broker that is down."""

import logging
import threading
import time

from celery import current_app
from django.conf import settings
from django.db import connections, transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_DOWN = (OperationalError, ConnectionError, OSError)
RETRY_AFTER = 10.0  # seconds without trying the broker after it failed
_broker = {"down_until": 0.0}


def task_enqueue(name: str, *args, on_broker_down=None) -> bool:
    """Queue task `name` with `args` (primary keys, never objects). False, after calling
    `on_broker_down()` if given, when the broker could not be reached (or failed moments
    ago)."""
    eager = current_app.conf.task_always_eager  # no broker involved
    if not eager and time.monotonic() < _broker["down_until"]:
        logger.info("Not queueing %s%r: the broker failed moments ago.", name, args)
        return _broker_down(on_broker_down)
    try:
        current_app.tasks[name].apply_async(args=args, retry=False)
    except BROKER_DOWN:
        logger.warning("Could not queue %s%r: the broker is down.", name, args, exc_info=True)
        if not eager:
            _broker["down_until"] = time.monotonic() + RETRY_AFTER
        return _broker_down(on_broker_down)
    return True


def _broker_down(on_broker_down) -> bool:
    if on_broker_down is not None:
        on_broker_down()
    return False


def task_enqueue_on_commit(name: str, *args, on_broker_down=None) -> None:
    """`task_enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task_enqueue(name, *args, on_broker_down=on_broker_down))


# --- Long tasks without a broker -----------------------------------------------------------

_threads: list[threading.Thread] = []
_one_at_a_time = threading.Lock()  # two PDFs at once would double the memory, not the speed


def background_run(function, *args) -> None:
    """Run `function(*args)` in a thread of this process, so that the request that asked for
    it returns at once: for a long task (a PDF) when no broker takes it (eager tasks, or the
    broker down). The thread has its own database connection, closed when it ends; an error
    is logged, never raised (the task records its own failure). Not a daemon thread: a
    process that stops waits for it. One runs at a time in a process, the others wait their
    turn (their page says they wait). With settings.BACKGROUND_THREADS off (most tests) the
    function runs at once, here."""
    if not settings.BACKGROUND_THREADS:
        function(*args)
        return

    def run():
        try:
            with _one_at_a_time:
                function(*args)
        except Exception:  # noqa: BLE001 - a background thread has nobody to raise to
            logger.exception("The background task %s%r failed", function.__qualname__, args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=f"background-{function.__qualname__}")
    _threads[:] = [t for t in _threads if t.is_alive()] + [thread]
    thread.start()


def background_wait(timeout: float | None = None) -> bool:
    """Wait for the background threads started so far (tests, an orderly shutdown); False
    when one is still running after `timeout` seconds."""
    for thread in list(_threads):
        thread.join(timeout)
    return not any(thread.is_alive() for thread in _threads)


def long_task_enqueue_on_commit(name: str, *args, in_process) -> None:
    """Queue task `name` once the transaction commits, for a long task whose page shows its
    progress. Where no worker would take it (no broker: tasks would run eagerly, inside the
    request; or the broker down), `in_process(*args)` runs in a background thread of this
    process instead (`background_run`), so that the request returns at once either way."""

    def enqueue():
        if current_app.conf.task_always_eager:
            background_run(in_process, *args)
        else:
            task_enqueue(name, *args, on_broker_down=lambda: background_run(in_process, *args))

    transaction.on_commit(enqueue)
