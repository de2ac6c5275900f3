from celery import shared_task

from health import evidence, services


@shared_task(name="standards.send_health_digest")
def send_health_digest() -> int:
    return services.health_digest_send()


@shared_task(name="health.build_evidence_pack")
def build_evidence_pack(pack_id: int) -> int:
    return evidence.evidence_pack_build(pack_id).pk
