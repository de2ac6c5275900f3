"""Translations are made once per text and language, missed when the text changes, and a
backend that fails leaves the original in place and is logged once."""

import logging

import pytest
from django.core.management import call_command

from core.translation import services
from core.translation.backends import DeepL
from core.translation.models import MachineTranslation
from core.translation.selectors import translations_attach
from tests.factories.health import ContributionFactory

pytestmark = pytest.mark.django_db

PT_TITLE = "Os orçamentos municipais não são publicados em formato aberto"
EL_TITLE = "Οι δημοτικοί προϋπολογισμοί δεν δημοσιεύονται σε ανοικτό μορφότυπο"


def _translate(*objects_and_fields, language="el"):
    refs = [[obj._meta.label_lower, obj.pk, field] for obj, field in objects_and_fields]
    return services.texts_translate(languages=[language], refs=refs)


def test_a_text_is_translated_once_per_language_and_shown_with_its_language(libretranslate):
    contribution = ContributionFactory(title=PT_TITLE)

    assert _translate((contribution, "title")) == 1
    assert _translate((contribution, "title")) == 0  # stored: not asked again

    assert len(libretranslate.requests) == 1
    assert libretranslate.requests[0]["source"] == "auto"
    missing = translations_attach(objects=[contribution], language="el")
    assert contribution.machine_translations == {"title": (EL_TITLE, "pt")}
    assert missing == [(contribution, "text")]  # the text was not asked for


def test_a_changed_text_misses_its_old_translation_which_is_then_replaced(libretranslate):
    contribution = ContributionFactory(title=PT_TITLE)
    _translate((contribution, "title"))

    contribution.title = "Publicar os contratos públicos em formato aberto"
    contribution.save()
    missing = translations_attach(objects=[contribution], language="el")

    assert "title" not in contribution.machine_translations
    assert (contribution, "title") in missing
    _translate((contribution, "title"))
    row = MachineTranslation.objects.get(field="title")  # one row: the old one replaced
    assert row.text == "Δημοσίευση των δημόσιων συμβάσεων σε ανοικτό μορφότυπο"


def test_a_text_already_in_the_readers_language_shows_no_translation(libretranslate):
    contribution = ContributionFactory(title="Ανοικτά δεδομένα για όλους")
    _translate((contribution, "title"))

    missing = translations_attach(objects=[contribution], language="el")

    assert contribution.machine_translations == {}
    assert (contribution, "title") not in missing  # known: not asked again


@pytest.mark.parametrize("mode", ["error", "forbidden", "slow", "nonsense"])
def test_a_failing_backend_keeps_the_original_and_is_logged_once(libretranslate, mode, caplog):
    libretranslate.mode = mode
    libretranslate.hold = 1.0  # longer than the portal's 0.3 s timeout
    first, second = ContributionFactory(title=PT_TITLE), ContributionFactory(title=PT_TITLE)

    with caplog.at_level(logging.WARNING, logger="core.translation.services"):
        assert _translate((first, "title"), (second, "title")) == 0
        assert _translate((second, "title")) == 0  # during the outage: not even asked

    assert MachineTranslation.objects.count() == 0
    assert len(libretranslate.requests) == 1
    # this logger's records only: a live server's thread left by an earlier test of the same
    # worker may log a request of its own (django.request) meanwhile (CI, with work stealing)
    logged = [r for r in caplog.records if r.name == "core.translation.services"]
    assert len(logged) == 1
    assert "originals are shown" in logged[0].getMessage()
    translations_attach(objects=[first], language="el")
    assert first.machine_translations == {}
    # Pages do not ask while the backend is paused.
    assert not services.translations_request(missing=[(first, "title")], language="el")


def test_nothing_is_asked_or_called_when_translation_is_off(settings, django_assert_num_queries):
    settings.MACHINE_TRANSLATION_BACKEND = "none"
    contribution = ContributionFactory(title=PT_TITLE)

    with django_assert_num_queries(0):
        missing = translations_attach(objects=[contribution], language="el")
    assert missing == []
    assert not services.translations_request(missing=[(contribution, "title")], language="el")


def test_a_new_contribution_is_translated_into_the_languages_members_read(
    libretranslate, django_capture_on_commit_callbacks
):
    from cocreation.services import contribution_post  # noqa: PLC0415 -- a higher layer, in a test
    from tests.factories import RegistrationFactory, UserFactory  # noqa: PLC0415

    UserFactory(preferred_language="el")
    registration = RegistrationFactory()
    registration.member.preferred_language = "pt"
    registration.member.save()

    with django_capture_on_commit_callbacks(execute=True):
        contribution = contribution_post(
            workshop=registration.workshop,
            author=registration.member,
            kind="challenge",
            title=PT_TITLE,
            text="Todos os contratos das câmaras devem estar disponíveis em CSV no dia em que "
            "são assinados.",
        )

    greek = MachineTranslation.objects.filter(object_id=contribution.pk, target_language="el")
    assert {row.field: row.text for row in greek} == {
        "title": EL_TITLE,
        "text": "Όλες οι συμβάσεις των δήμων πρέπει να είναι διαθέσιμες σε CSV την ημέρα που "
        "υπογράφονται.",
    }
    # Into Portuguese too, where it was written: known, with nothing to show.
    assert set(
        MachineTranslation.objects.filter(target_language="pt").values_list("text", flat=True)
    ) == {""}


def test_a_page_view_queues_one_task_and_does_not_run_it_in_the_request(
    libretranslate, settings, monkeypatch
):
    settings.BACKGROUND_THREADS = True
    ran_in_background = []
    monkeypatch.setattr(
        services, "background_run", lambda function, *args: ran_in_background.append(args)
    )
    contributions = ContributionFactory.create_batch(3, title=PT_TITLE)

    missing = translations_attach(objects=contributions, language="el")
    assert services.translations_request(missing=missing, language="el")
    assert not services.translations_request(missing=missing, language="el")  # queued already

    assert len(ran_in_background) == 1
    languages, refs = ran_in_background[0]
    assert languages == ["el"] and len(refs) == 6
    assert libretranslate.requests == []  # nothing called while the page was made


def test_the_health_check_and_manage_check_name_an_unreachable_backend(client, settings):
    settings.MACHINE_TRANSLATION_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = "http://127.0.0.1:1"  # nothing listens on port 1

    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["translation"]["status"] == "down"
    assert "LibreTranslate at http://127.0.0.1:1: unreachable" in body["translation"]["detail"]

    from io import StringIO  # noqa: PLC0415

    out, err = StringIO(), StringIO()
    call_command("check", tags=["translation"], stdout=out, stderr=err)
    said = out.getvalue() + err.getvalue()
    assert "translation.W001" in said
    assert "Machine translation cannot be used: LibreTranslate at http://127.0.0.1:1" in said


def test_the_checks_say_when_the_key_is_rejected(client, libretranslate):
    libretranslate.api_key = "the-right-key"

    body = client.get("/healthz").json()

    assert body["translation"]["status"] == "down"
    assert "the API key was rejected (HTTP 403)" in body["translation"]["detail"]


def test_the_health_check_says_translation_is_up_or_off(client, libretranslate, settings):
    assert client.get("/healthz").json()["translation"]["status"] == "up"
    settings.MACHINE_TRANSLATION_BACKEND = "none"
    from django.core.cache import cache  # noqa: PLC0415

    cache.clear()
    assert client.get("/healthz").json()["translation"] == {"status": "off", "backend": "none"}


def test_deepl_free_keys_use_the_free_api():
    assert DeepL("abc:fx", 1).url == "https://api-free.deepl.com/v2"
    assert DeepL("abc", 1).url == "https://api.deepl.com/v2"
