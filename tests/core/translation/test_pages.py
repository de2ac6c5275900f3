"""A Greek reader meets Portuguese contributions in Greek, marked as machine-translated,
with the original one click away; the board's queries do not grow with translations; the
plan's document and the reasoned-response register stay as written."""

import re

import pytest
from django.urls import reverse

from cocreation import services as cocreation_services
from core.translation import services
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory
from tests.factories.health import ContributionFactory, ReasonedResponseFactory

pytestmark = pytest.mark.django_db

PT = {
    "title": "Os orçamentos municipais não são publicados em formato aberto",
    "text": "As câmaras publicam os orçamentos em PDF digitalizado, e ninguém consegue "
    "reutilizar os números sem os voltar a escrever.",
    "comment": "Concordo, e os dados devem ser atualizados todos os meses.",
    "response": "A proposta foi integrada no compromisso sobre dados orçamentais abertos.",
}
EL = {
    "title": "Οι δημοτικοί προϋπολογισμοί δεν δημοσιεύονται σε ανοικτό μορφότυπο",
    "text": "Οι δήμοι δημοσιεύουν τους προϋπολογισμούς σε σαρωμένα PDF, και κανείς δεν "
    "μπορεί να επαναχρησιμοποιήσει τα στοιχεία χωρίς να τα πληκτρολογήσει ξανά.",
    "comment": "Συμφωνώ, και τα δεδομένα πρέπει να ενημερώνονται κάθε μήνα.",
    "response": "Η πρόταση ενσωματώθηκε στη δέσμευση για τα ανοικτά δημοσιονομικά δεδομένα.",
}


def _board_with(workshop, count: int):
    """`count` Portuguese contributions, each with a comment and a reasoned response."""
    for _ in range(count):
        contribution = ContributionFactory(workshop=workshop, title=PT["title"], text=PT["text"])
        cocreation_services.contribution_comment(
            contribution=contribution, author=UserFactory(), text=PT["comment"]
        )
        ReasonedResponseFactory(contribution=contribution, explanation=PT["response"])


def _translate_all(workshop):
    """What the worker does for the board's texts."""
    from cocreation.models import Comment, Contribution, ReasonedResponse  # noqa: PLC0415

    refs = []
    for contribution in Contribution.objects.filter(workshop=workshop):
        refs += [["cocreation.contribution", contribution.pk, f] for f in ("title", "text")]
    for comment in Comment.objects.filter(contribution__workshop=workshop):
        refs.append(["cocreation.comment", comment.pk, "text"])
    for response in ReasonedResponse.objects.filter(contribution__workshop=workshop):
        refs.append(["cocreation.reasonedresponse", response.pk, "explanation"])
    services.texts_translate(languages=["el"], refs=refs)


@pytest.fixture
def greek_reader(client):
    client.force_login(UserFactory(preferred_language="el"))
    return client


def _board(client, workshop) -> str:
    return client.get(reverse("cocreation:contribution_board", args=[workshop.pk])).content.decode()


def test_a_greek_reader_sees_portuguese_contributions_in_greek_with_the_original_at_hand(
    libretranslate, greek_reader
):
    workshop = WorkshopFactory()
    _board_with(workshop, 1)

    first = _board(greek_reader, workshop)  # asks for the translations, shows the originals
    assert PT["title"] in first and EL["title"] not in first
    assert "machine-translation" not in first

    html = _board(greek_reader, workshop)  # the next view

    for key in ("title", "text", "comment", "response"):
        assert EL[key] in html
    notes = re.findall(
        r'<details class="machine-translation[^"]*"><summary>(.*?)</summary>'
        r'<div class="machine-translation__original" lang="pt">(.*?)</div></details>',
        html,
        re.S,
    )
    assert len(notes) == 3  # the contribution, its response, its comment
    label, original = notes[0]
    assert "Πορτογαλικά" in label  # the original's language, named in the reader's
    assert PT["title"] in original and PT["text"] in original
    assert PT["response"] in notes[1][1] and PT["comment"] in notes[2][1]


def test_a_portuguese_reader_sees_the_originals_unmarked(libretranslate, client):
    workshop = WorkshopFactory()
    _board_with(workshop, 1)
    client.force_login(UserFactory(preferred_language="pt"))
    _board(client, workshop)

    html = _board(client, workshop)

    assert PT["title"] in html and "machine-translation" not in html


def test_the_boards_queries_do_not_grow_with_rows_or_translations(
    libretranslate, greek_reader, monkeypatch, django_assert_num_queries
):
    """The same count for 1 and 4 contributions (each with a comment and a response), with
    and without their translations: one query reads every translation of the page."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from cocreation.models import Comment, Contribution, ReasonedResponse  # noqa: PLC0415

    queued = []
    monkeypatch.setattr(services, "_enqueue", lambda languages, refs: queued.append(refs))
    ContentType.objects.get_for_models(Contribution, Comment, ReasonedResponse)  # kept after
    boards = {}
    for size in (1, 4):
        for translated in (False, True):
            workshop = WorkshopFactory()
            _board_with(workshop, size)
            if translated:
                _translate_all(workshop)
            boards[size, translated] = workshop
    warm = WorkshopFactory()
    _board_with(warm, 1)
    _board(greek_reader, warm)  # what a visitor's first page reads once (the session)
    queued.clear()
    with CaptureQueriesContext(connection) as baseline:
        _board(greek_reader, boards[1, False])
    for (size, translated), workshop in boards.items():
        if (size, translated) == (1, False):
            continue
        with django_assert_num_queries(len(baseline)):
            html = _board(greek_reader, workshop)
        assert (EL["title"] in html) is translated
    # The untranslated boards asked once each, for all of their texts in one task.
    assert [len(refs) for refs in queued] == [4, 16]


def test_a_new_contribution_reaches_a_greek_facilitator_translated(
    libretranslate, client, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory()
    facilitator = UserFactory(preferred_language="el")
    workshop.facilitators.add(facilitator)
    author = RegistrationFactory(workshop=workshop).member
    author.preferred_language = "pt"
    author.save()
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cocreation:contribution_post", args=[workshop.pk]),
            {"kind": "idea", "title": PT["title"], "text": PT["text"]},
        )
    assert response.status_code == 302

    client.force_login(facilitator)
    html = _board(client, workshop)  # the first view: translated already
    assert EL["title"] in html and EL["text"] in html


def test_a_commitment_and_its_consultation_comments_are_shown_translated(
    libretranslate, greek_reader
):
    from actionplans.models import ConsultationComment  # noqa: PLC0415
    from tests.factories.actionplans import CommitmentFactory  # noqa: PLC0415

    commitment = CommitmentFactory(status="forum_review", title=PT["title"], summary=PT["text"])
    ConsultationComment.objects.create(
        commitment=commitment, author=UserFactory(), text=PT["comment"]
    )
    url = commitment.get_absolute_url()
    greek_reader.get(url)

    html = greek_reader.get(url).content.decode()

    assert f"<h1>{EL['title']}</h1>" in html
    assert EL["text"] in html and EL["comment"] in html
    assert html.count('<div class="machine-translation__original" lang="pt">') == 2


def test_an_events_description_is_shown_translated(libretranslate, greek_reader):
    from tests.factories.events import EventFactory  # noqa: PLC0415

    event = EventFactory(description=PT["text"])
    url = reverse("events:detail", args=[event.pk])
    greek_reader.get(url)

    html = greek_reader.get(url).content.decode()

    assert EL["text"] in html
    assert '<div class="machine-translation__original" lang="pt"><p>' + PT["text"] in html


def test_the_register_and_the_plans_document_are_never_machine_translated(
    libretranslate, greek_reader
):
    from tests.factories.actionplans import ActionPlanFactory, CommitmentFactory  # noqa: PLC0415

    workshop = WorkshopFactory()
    _board_with(workshop, 1)
    _translate_all(workshop)
    plan = ActionPlanFactory(process=workshop.process)
    commitment = CommitmentFactory(plan=plan, status="included", title=PT["title"])
    services.texts_translate(
        languages=["el"], refs=[["actionplans.commitment", commitment.pk, "title"]]
    )

    for url in (
        reverse("actionplans:register", args=[plan.slug]),
        reverse("actionplans:plan_document", args=[plan.slug]),
    ):
        html = greek_reader.get(url).content.decode()
        assert PT["title"] in html, url
        assert EL["title"] not in html and "machine-translation" not in html, url
