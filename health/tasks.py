from celery import shared_task

from health import services


@shared_task(name="standards.send_health_digest")
def send_health_digest() -> int:
    return services.health_digest_send()
