"""Queueing a task when the broker is down: the request goes on at once, and a request
that queues many tasks waits for the broker once, not once per task."""

import pytest
from kombu.exceptions import OperationalError

from core import queue
from forum.celery import app as celery_app


@pytest.fixture
def broker_down(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(kwargs.get("args"))
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(celery_app.tasks["notifications.deliver"], "apply_async", refuse)
    celery_app.conf.task_always_eager = False  # the suite's conftest sets it back
    monkeypatch.setattr(queue, "_broker", {"down_until": 0.0})
    return attempts


def test_after_the_broker_failed_it_is_left_alone_for_a_while(broker_down, monkeypatch):
    told = []

    results = [
        queue.task_enqueue("notifications.deliver", n, on_broker_down=lambda: told.append(1))
        for n in range(50)
    ]

    assert results == [False] * 50
    assert len(told) == 50  # every caller's fallback runs
    assert broker_down == [(0,)]  # the broker was tried once
    monkeypatch.setattr(queue, "_broker", {"down_until": 0.0})  # RETRY_AFTER has passed
    queue.task_enqueue("notifications.deliver", 99)
    assert broker_down == [(0,), (99,)]


def test_tasks_run_in_process_are_never_held_back(broker_down, monkeypatch):
    queue.task_enqueue("notifications.deliver", 1)
    celery_app.conf.task_always_eager = True
    monkeypatch.setattr(celery_app.tasks["notifications.deliver"], "apply_async", lambda **kw: 1)

    assert queue.task_enqueue("notifications.deliver", 2) is True
