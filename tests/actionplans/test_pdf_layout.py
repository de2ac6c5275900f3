"""The plan's PDF as a reader and a screen reader meet it: in each of the portal's six
languages no word runs past the text block or over another word (read back with poppler's
`pdftotext -bbox`), the commitments flow unless the plan asks for a page each, the footer's
page number stays on one line, and the PDF is tagged (PDF/UA) with its language, title,
author, headings and table header cells."""

import io
import re
import subprocess
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from actionplans import rendering
from actionplans.models import ActionPlan
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "el", "pt", "sr", "uk", "pl"]
# A4 and the page margins of templates/actionplans/pdf/plan.html, in points.
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN_X, MARGIN_Y = 2 / 2.54 * 72, 2.2 / 2.54 * 72
RIGHT_EDGE = PAGE_WIDTH - MARGIN_X

poppler = pytest.mark.requires_poppler
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(pdf: bytes, tmp_path) -> list[list[tuple]]:
    """Every page's words with their boxes (x0, y0, x1, y1, text), in points."""
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]
        for page in html.split("<page ")[1:]
    ]


def _overlapping(words: list[tuple]) -> list[tuple[str, str]]:
    slack = 0.5
    return [
        (a[4], b[4])
        for i, a in enumerate(words)
        for b in words[i + 1 :]
        if a[0] < b[2] - slack
        and b[0] < a[2] - slack
        and a[1] < b[3] - slack
        and b[1] < a[3] - slack
    ]


@poppler
def test_no_word_runs_past_the_text_block_or_over_another_in_any_language(tmp_path):
    """The demo's plan in implementation (milestones at every level of completion, the
    co-creation annex, forum health's report) with its headings in each language."""
    call_command("demo_data", verbosity=0)
    plan = ActionPlan.objects.get(slug="nap-5-2023-2025")
    found = {}
    for language in LANGUAGES:
        plan.language = language  # the headings, table headers and hyphenation follow it
        pdf, pages = rendering.plan_pdf_render(plan)
        words = _words(pdf, tmp_path)
        assert len(words) == pages
        past = [(n, w[4]) for n, page in enumerate(words, 1) for w in page if w[2] > RIGHT_EDGE]
        over = [(n, pair) for n, page in enumerate(words, 1) for pair in _overlapping(page)]
        # "4 / 9" in the footer: the page number, the slash and the count on one line
        wrapped = []
        for number, page in enumerate(words[1:], start=2):
            footer = [w for w in page if w[1] > PAGE_HEIGHT - MARGIN_Y]
            texts = [w[4] for w in footer]
            expected = [str(number), "/", str(pages)]
            at = next((i for i in range(len(texts) - 2) if texts[i : i + 3] == expected), None)
            if at is None or len({round(w[1]) for w in footer[at : at + 3]}) != 1:
                wrapped.append((number, [w[4] for w in footer]))
        if past or over or wrapped:
            found[language] = {"past the edge": past, "overlapping": over, "footer": wrapped}
    assert found == {}


def _plan(**fields):
    plan = ActionPlanFactory(title="Εθνικό Σχέδιο Δράσης 2026–2028", language="el", **fields)
    for number in range(1, 4):
        commitment = CommitmentFactory(
            plan=plan, number=number, title=f"Δέσμευση αριθμός {number}", status="included"
        )
        MilestoneFactory(commitment=commitment, activity=f"Ορόσημο {number}")
    return plan


def _page_of(reader: PdfReader, text: str, start: int = 2) -> int:
    """The page (0-based) after the contents where `text` first appears."""
    for index in range(start, len(reader.pages)):
        if text in " ".join(reader.pages[index].extract_text().split()):
            return index
    raise AssertionError(f"{text!r} is not in the PDF")


def test_commitments_flow_unless_the_plan_asks_for_a_page_each():
    flowing = PdfReader(io.BytesIO(rendering.plan_pdf_render(_plan())[0]))
    pages = [_page_of(flowing, f"Δέσμευση αριθμός {n}") for n in (1, 2, 3)]
    assert pages[0] == pages[1]  # the second follows the first on its page

    per_page = PdfReader(
        io.BytesIO(rendering.plan_pdf_render(_plan(pdf_commitment_per_page=True))[0])
    )
    pages = [_page_of(per_page, f"Δέσμευση αριθμός {n}") for n in (1, 2, 3)]
    assert pages[0] < pages[1] < pages[2]


def test_the_cover_names_the_forum_the_period_the_status_and_the_export_date():
    plan = _plan(status="adopted")
    cover = " ".join(
        PdfReader(io.BytesIO(rendering.plan_pdf_render(plan)[0])).pages[0].extract_text().split()
    )
    assert plan.forum.name in cover
    assert "Εθνικό Σχέδιο Δράσης 2026–2028" in cover
    assert "Περίοδος" in cover  # "Period", in the plan's language
    assert str(plan.period_start.year) in cover and str(plan.period_end.year) in cover
    with translation.override("el"):
        assert plan.get_status_display() in cover
    assert "Εξήχθη" in cover  # "Exported on ..."


def _structure(reader: PdfReader) -> tuple[Counter, list[str]]:
    """The structure elements' types, counted, and the headings in reading order."""
    kinds, headings = Counter(), []

    def walk(element):
        element = element.get_object()
        if not isinstance(element, dict) or "/S" not in element:
            return
        kinds[element["/S"]] += 1
        if element["/S"] in ("/H1", "/H2", "/H3"):
            headings.append(element["/S"])
        children = element.get("/K", [])
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "get_object"):
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0])
    return kinds, headings


def test_the_pdf_is_tagged_with_language_title_author_headings_and_table_headers():
    plan = _plan()
    reader = PdfReader(io.BytesIO(rendering.plan_pdf_render(plan)[0]))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "el"
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Εθνικό Σχέδιο Δράσης 2026–2028"
    assert reader.metadata.author == plan.forum.name
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()

    kinds, headings = _structure(reader)
    assert kinds["/Document"] == 1
    assert headings[0] == "/H1" and headings.count("/H1") == 1  # the title, on the cover
    assert headings.count("/H2") >= 3 + 2  # contents, 3 commitments, the annex
    assert kinds["/H3"] >= 3  # each commitment's milestones
    assert kinds["/Table"] >= 3 and kinds["/TH"] >= kinds["/Table"]
    assert kinds["/L"] >= 1 and kinds["/Link"] >= 3  # the contents, linked to its pages


def _header_links(reader: PdfReader) -> list:
    """Each data cell's header cells (their IDs): a screen reader reads them out."""
    found = []

    def walk(element):
        element = element.get_object()
        if not isinstance(element, dict) or "/S" not in element:
            return
        if element["/S"] == "/TD":
            found.append(list(element["/A"].get("/Headers", [])))
        children = element.get("/K", [])
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "get_object"):
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0])
    return found


def test_every_table_cell_is_tied_to_its_header_cells():
    reader = PdfReader(io.BytesIO(rendering.plan_pdf_render(_plan())[0]))
    cells = _header_links(reader)
    assert cells and all(cells), "a data cell without header cells"


@poppler
def test_pdfinfo_reads_the_pdf_as_tagged(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(rendering.plan_pdf_render(_plan())[0])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.MULTILINE)
    assert re.search(r"^Title:\s+Εθνικό Σχέδιο Δράσης 2026–2028$", info.stdout, re.MULTILINE)


def test_each_heading_is_tagged_on_the_page_it_is_printed_on():
    """A screen reader goes from a heading's tag to its page: each commitment's heading (a
    page each) is tagged on the page that shows it, as the contents' links point there."""
    reader = PdfReader(
        io.BytesIO(rendering.plan_pdf_render(_plan(pdf_commitment_per_page=True))[0])
    )
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    tagged = []

    def walk(element):
        element = element.get_object()
        if not isinstance(element, dict) or "/S" not in element:
            return
        if element["/S"] == "/H2" and "/Pg" in element:
            tagged.append(page_numbers[element.raw_get("/Pg").idnum])
        children = element.get("/K", [])
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "get_object"):
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0])
    printed = [_page_of(reader, f"Δέσμευση αριθμός {n}") for n in (1, 2, 3)]
    assert all(page in tagged for page in printed), (printed, tagged)
    assert tagged == sorted(tagged) and len(set(tagged)) >= 4  # contents, three commitments
