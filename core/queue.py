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
import time

from celery import current_app
from django.db import transaction
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
