"""Celery: eager by default; a real worker on Redis when REDIS_URL is set."""

import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from forum.celery import app

RESULTS_KEY = "forum:test:celery-results"


@app.task(name="tests.push_result")
def push_result(token: str) -> None:
    redis.Redis.from_url(settings.REDIS_URL).rpush(f"{RESULTS_KEY}:{token}", token)


@pytest.mark.requires_redis
def test_a_real_worker_runs_a_task_sent_through_redis():
    queue = f"test-{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    client = redis.Redis.from_url(settings.REDIS_URL)
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
        push_result.apply_async(args=[token], queue=queue)
        popped = client.blpop([f"{RESULTS_KEY}:{token}"], timeout=20)
    assert popped is not None, "the worker did not run the task within 20 seconds"
    assert popped[1].decode() == token
