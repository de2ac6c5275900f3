from celery import shared_task

from health import evidence, services, stored


@shared_task(name="standards.send_health_digest")
def send_health_digest() -> int:
    return services.health_digest_send()


@shared_task(name="health.build_evidence_pack")
def build_evidence_pack(pack_id: int) -> int:
    return evidence.evidence_pack_build(pack_id).pk


@shared_task(name="health.recompute_forum")
def recompute_forum(forum_id: int) -> int:
    return stored.forum_recompute(forum_id)


@shared_task(name="health.recompute_all")
def recompute_all() -> int:
    return stored.forums_recompute_all()
