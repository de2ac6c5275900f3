"""The machine-translation backends, chosen by settings.MACHINE_TRANSLATION_BACKEND:
"none" (the default: nothing is translated, nothing is called), "libretranslate" (its HTTP
API at LIBRETRANSLATE_URL, with LIBRETRANSLATE_API_KEY if the server asks for one) and
"deepl" (DEEPL_API_KEY; a free key, ending in ":fx", uses api-free.deepl.com).

A backend answers `translate(text, target) -> (translated text, source language)`, or
raises `BackendError` when it failed, timed out or answered something that is not a
translation (not JSON, a field missing, empty, or wildly longer or shorter than the text):
the caller then keeps the original. `probe()` says whether the backend can be used now, for
the health check and `manage.py check`."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

NONE, LIBRETRANSLATE, DEEPL = "none", "libretranslate", "deepl"
BACKENDS = (NONE, LIBRETRANSLATE, DEEPL)


class BackendError(Exception):
    """The backend failed, timed out, refused the key or answered nonsense."""


class Refused(BackendError):
    """The backend refused this request (HTTP 400: a language it does not offer, a text it
    will not take); it works for others."""


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str


def _language(code) -> str:
    """ "pt", "PT-BR", "pt_PT" -> "pt"."""
    if not isinstance(code, str) or not code.strip():
        raise BackendError("no source language in the answer")
    return code.strip().lower().replace("_", "-").split("-")[0][:10]


def _sensible(source: str, translated) -> str:
    if not isinstance(translated, str) or not translated.strip():
        raise BackendError("an empty translation")
    # A translation is rarely more than 3 times longer or shorter than its text; a reply
    # far outside that (an error page, a truncated answer) is not a translation.
    if len(source) >= 20 and not (len(source) / 4 <= len(translated) <= len(source) * 4 + 40):
        raise BackendError(
            f"a translation of {len(translated)} characters for a text of {len(source)}"
        )
    return translated


def _post_json(url: str, payload: dict, headers: dict, timeout: float):
    request = urllib.request.Request(  # noqa: S310 -- the URL comes from settings
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
        method="POST",
    )
    return _call(request, timeout)


def _call(request, timeout: float):
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 -- the URL comes from settings
            body = response.read(2_000_000)
    except urllib.error.HTTPError as exc:
        exc.close()  # its answer's connection: left open, each failed call leaked a socket
        if exc.code in (401, 403):
            raise BackendError(f"the API key was rejected (HTTP {exc.code})") from exc
        if exc.code == 400:
            raise Refused("HTTP 400") from exc
        raise BackendError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BackendError(f"unreachable ({reason.__class__.__name__}: {reason})") from exc
    try:
        return json.loads(body)
    except ValueError as exc:
        raise BackendError("an answer that is not JSON") from exc


class LibreTranslate:
    name = LIBRETRANSLATE

    def __init__(self, url: str, api_key: str, timeout: float):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, target: str) -> tuple[str, str]:
        payload = {"q": text, "source": "auto", "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = _post_json(f"{self.url}/translate", payload, {}, self.timeout)
        if not isinstance(answer, dict):
            raise BackendError("an answer that is not an object")
        detected = answer.get("detectedLanguage")
        source = _language(detected.get("language") if isinstance(detected, dict) else None)
        return _sensible(text, answer.get("translatedText")), source

    def probe(self) -> ProbeResult:
        if not self.url:
            return ProbeResult(False, "LIBRETRANSLATE_URL is not set")
        try:
            # A real translation, so that a wrong key is found too.
            self.translate("Open government", "el")
        except BackendError as exc:
            return ProbeResult(False, f"LibreTranslate at {self.url}: {exc}")
        return ProbeResult(True, f"LibreTranslate at {self.url}")


# DeepL's target codes where they are not simply the language in capitals.
DEEPL_TARGETS = {"en": "EN-GB", "pt": "PT-PT"}


class DeepL:
    name = DEEPL

    def __init__(self, api_key: str, timeout: float):
        self.api_key = api_key
        self.timeout = timeout
        host = "api-free.deepl.com" if api_key.endswith(":fx") else "api.deepl.com"
        self.url = f"https://{host}/v2"

    def _headers(self) -> dict:
        return {"Authorization": f"DeepL-Auth-Key {self.api_key}"}

    def translate(self, text: str, target: str) -> tuple[str, str]:
        payload = {"text": [text], "target_lang": DEEPL_TARGETS.get(target, target.upper())}
        answer = _post_json(f"{self.url}/translate", payload, self._headers(), self.timeout)
        try:
            first = answer["translations"][0]
            source = _language(first["detected_source_language"])
            translated = first["text"]
        except (KeyError, IndexError, TypeError) as exc:
            raise BackendError("an answer without a translation") from exc
        return _sensible(text, translated), source

    def probe(self) -> ProbeResult:
        if not self.api_key:
            return ProbeResult(False, "DEEPL_API_KEY is not set")
        request = urllib.request.Request(f"{self.url}/usage", headers=self._headers())  # noqa: S310
        try:
            _call(request, self.timeout)
        except BackendError as exc:
            return ProbeResult(False, f"DeepL at {self.url}: {exc}")
        return ProbeResult(True, f"DeepL at {self.url}")


def backend_name() -> str:
    name = (getattr(settings, "MACHINE_TRANSLATION_BACKEND", NONE) or NONE).strip().lower()
    return name if name in BACKENDS else NONE


def backend_get():
    """The configured backend, or None when machine translation is off."""
    name = backend_name()
    timeout = float(settings.MACHINE_TRANSLATION_TIMEOUT)
    if name == LIBRETRANSLATE:
        return LibreTranslate(settings.LIBRETRANSLATE_URL, settings.LIBRETRANSLATE_API_KEY, timeout)
    if name == DEEPL:
        return DeepL(settings.DEEPL_API_KEY, timeout)
    return None
