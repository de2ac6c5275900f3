"""Words found in any of their forms, in each text's own language (PostgreSQL's text-search
configurations), and Serbian in either script."""

import pytest

from tests.factories import UserFactory, WorkshopFactory
from tests.factories.actionplans import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.factories.health import ContributionFactory
from tests.search.conftest import found

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


def test_greek_finds_another_form_of_the_word(client, indexed):
    with indexed():
        workshop = WorkshopFactory(title="Ανοικτά δεδομένα", language="el")
        ContributionFactory(
            workshop=workshop,
            title="Δημοσίευση των δεδομένων του προϋπολογισμού",
            text="Μηνιαία δημοσίευση των δεδομένων σε ανοικτό μορφότυπο.",
        )
    response = client.get("/search/", {"q": "δεδομένα", "kind": "contribution"})
    assert found(response) == ["Δημοσίευση των δεδομένων του προϋπολογισμού"]
    assert "<mark>δεδομένων</mark>" in response.content.decode()


def test_a_greek_text_in_a_workshop_held_in_english_is_read_as_greek(client, indexed):
    with indexed():
        workshop = WorkshopFactory(title="Open data", language="en")
        ContributionFactory(
            workshop=workshop,
            title="Ανοιχτά δεδομένα προϋπολογισμού",
            text="Οι δήμοι να δημοσιεύουν τα δεδομένα των δαπανών (PDF, CSV) κάθε μήνα.",
        )
        ContributionFactory(workshop=workshop, title="Open budget data", text="Every month.")
    response = client.get("/search/", {"q": "δεδομένων", "kind": "contribution"})
    assert found(response) == ["Ανοιχτά δεδομένα προϋπολογισμού"]
    assert found(client.get("/search/", {"q": "budgets", "kind": "contribution"})) == [
        "Open budget data"  # English texts are still read as English
    ]


def test_portuguese_finds_a_milestone_by_another_form(client, indexed):
    with indexed():
        plan = ActionPlanFactory(language="pt", title="Plano de ação municipal")
        commitment = CommitmentFactory(plan=plan, status="included", title="Compras públicas")
        MilestoneFactory(
            commitment=commitment, activity="Publicar todas as contratações em dados abertos"
        )
    response = client.get("/search/", {"q": "contratação", "kind": "milestone"})
    assert found(response) == ["Publicar todas as contratações em dados abertos"]


@pytest.mark.parametrize("typed", ["podaci", "подаци", "Podaci"])
def test_serbian_is_found_in_either_script(client, indexed, typed):
    with indexed():
        plan = ActionPlanFactory(language="sr", title="Локални акциони план Панчева")
        CommitmentFactory(
            plan=plan, status="included", title="Отворени подаци о буџету", summary="Подаци."
        )
    assert found(client.get("/search/", {"q": typed, "kind": "commitment"})) == [
        "Отворени подаци о буџету"
    ]


def test_polish_and_ukrainian_are_found_without_their_accents(client, indexed):
    with indexed():
        WorkshopFactory(title="Zamówienia publiczne w gminie", language="pl")
        WorkshopFactory(title="Відкриті дані громади", language="uk")
    assert found(client.get("/search/", {"q": "zamowienia"})) == ["Zamówienia publiczne w gminie"]
    assert found(client.get("/search/", {"q": "Zamówienia"})) == ["Zamówienia publiczne w gminie"]
    assert found(client.get("/search/", {"q": "дані"})) == ["Відкриті дані громади"]


def test_titles_rank_above_bodies(client, indexed):
    with indexed():
        WorkshopFactory(title="A workshop", description="About beneficial ownership registers")
        WorkshopFactory(title="Beneficial ownership", description="A workshop")
    titles = found(client.get("/search/", {"q": "beneficial ownership"}))
    assert titles == ["Beneficial ownership", "A workshop"]


def test_a_misspelt_word_finds_titles_close_to_it(client, indexed):
    with indexed():
        WorkshopFactory(title="Public procurement workshop")
    response = client.get("/search/", {"q": "procuremnet"})
    assert response.context["results"].fuzzy
    assert found(response, close=True) == ["Public procurement workshop"]
    assert "come close to them" in response.content.decode()


def test_the_reader_language_does_not_matter(client, indexed):
    """A Greek reader finds the Portuguese text and the English reader the Greek one: every
    configuration is asked."""
    with indexed():
        WorkshopFactory(title="Ανοικτά δεδομένα", language="el")
    reader = UserFactory(preferred_language="pt")
    client.force_login(reader)
    assert found(client.get("/search/", {"q": "δεδομένων"})) == ["Ανοικτά δεδομένα"]
