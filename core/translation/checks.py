"""`manage.py check` (and /healthz, core/healthcheck.py) say clearly when the configured
translation backend cannot be used: unreachable, the key rejected, a setting missing. A
warning, not an error: the portal keeps working and shows originals. With the backend
"none" (the default) nothing is called, so ordinary commands are not slowed."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register

from core.translation.backends import BACKENDS, backend_get

PROBE_TIMEOUT = 3.0  # seconds: a check or a health probe must not hang


def translation_state() -> dict:
    """{"status": "off" | "up" | "down", "backend": ..., "detail": ...}."""
    configured = (getattr(settings, "MACHINE_TRANSLATION_BACKEND", "none") or "none").lower()
    if configured not in BACKENDS:
        return {
            "status": "down",
            "backend": configured,
            "detail": (
                f"MACHINE_TRANSLATION_BACKEND={configured!r} is not one of {', '.join(BACKENDS)}"
            ),
        }
    backend = backend_get()
    if backend is None:
        return {"status": "off", "backend": "none"}
    backend.timeout = min(backend.timeout, PROBE_TIMEOUT)
    result = backend.probe()
    return {
        "status": "up" if result.ok else "down",
        "backend": backend.name,
        "detail": result.detail,
    }


@register("translation")
def translation_backend_check(app_configs=None, **kwargs):
    state = translation_state()
    if state["status"] != "down":
        return []
    return [
        CheckWarning(
            f"Machine translation cannot be used: {state['detail']}. Pages show the "
            "originals until it can.",
            hint="Check MACHINE_TRANSLATION_BACKEND, LIBRETRANSLATE_URL, LIBRETRANSLATE_API_KEY "
            "or DEEPL_API_KEY (README: Machine translation).",
            id="translation.W001",
        )
    ]
