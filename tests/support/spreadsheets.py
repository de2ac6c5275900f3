"""Spreadsheets as people save them, for the import's tests and measurements: a Greek
forum's members in Excel's Greek CSV (Windows-1253, semicolons), with broken rows."""

import io

GREEK_HEADER = ["Φορέας", "Τομέας", "Χώρα", "Ιστοσελίδα", "Ονοματεπώνυμο", "Email", "Γλώσσα"]
GREEK_SECTORS = {
    "civil-society": "Οργάνωση της κοινωνίας των πολιτών",
    "national-public-body": "Εθνικός δημόσιος φορέας",
    "regional-local-government": "Περιφερειακή ή τοπική αυτοδιοίκηση",
    "academia": "Ακαδημαϊκή κοινότητα και έρευνα",
}
ORGANISATIONS = [
    ("Vouliwatch", "civil-society", "vouliwatch.gr"),
    ("Διεθνής Διαφάνεια Ελλάδας", "civil-society", "transparency.gr"),
    ("Open Knowledge Greece", "civil-society", "okfn.gr"),
    ("Υπουργείο Ψηφιακής Διακυβέρνησης", "national-public-body", "mindigital.gr"),
    ("Δήμος Αθηναίων", "regional-local-government", "cityofathens.gr"),
    ("Δήμος Θεσσαλονίκης", "regional-local-government", ""),
    ("Εθνικό Μετσόβιο Πολυτεχνείο", "academia", "ntua.gr"),
    ("ΚΕΔΕ", "regional-local-government", ""),  # exists already in the tests
]
FIRST = ["Μαρία", "Γιώργος", "Ελένη", "Νίκος", "Κατερίνα", "Δημήτρης", "Σοφία", "Κώστας"]
LAST = ["Παπαδοπούλου", "Νικολάου", "Γεωργίου", "Οικονόμου", "Αλεξίου", "Βασιλείου"]

# The five broken rows: (1-based position among the people, what is wrong).
BROKEN = {
    7: "invalid e-mail",
    23: "the same e-mail as an earlier row",
    61: "unknown sector",
    97: "close to an existing organisation",
    150: "a formula instead of a name",
}


def greek_rows(people: int = 200) -> list[list[str]]:
    rows = []
    for index in range(1, people + 1):
        name, sector, website = ORGANISATIONS[index % len(ORGANISATIONS)]
        person = f"{FIRST[index % len(FIRST)]} {LAST[index % len(LAST)]} {index}"
        email = f"person{index}@example.gr"
        language = "Ελληνικά" if index % 5 else "English"
        sector_text = GREEK_SECTORS[sector]
        if index == 7:
            email = "person7(at)example.gr"
        elif index == 23:
            email = "person3@example.gr"
        elif index == 61:
            name, sector_text, website = "Σύλλογος Γονέων", "Ποδόσφαιρο", ""
        elif index == 97:
            name = "Κ.Ε.Δ.Ε."
        elif index == 150:
            person = '=HYPERLINK("http://evil.example","click")'
        rows.append([name, sector_text, "Ελλάδα", website, person, email, language])
    return rows


def csv_bytes(
    rows: list[list[str]],
    header: list[str] = GREEK_HEADER,
    *,
    encoding: str = "cp1253",
    delimiter: str = ";",
    trailing_empty: int = 3,
) -> bytes:
    """A CSV as Excel writes it: CRLF line ends, quotes only where needed, and (as Excel
    leaves them) empty rows of delimiters at the end."""
    out = io.StringIO()
    for row in [header, *rows]:
        cells = []
        for cell in row:
            if any(char in cell for char in (delimiter, '"', "\n")):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        out.write(delimiter.join(cells) + "\r\n")
    for _ in range(trailing_empty):
        out.write(delimiter * (len(header) - 1) + "\r\n")
    return out.getvalue().encode(encoding)


def greek_csv(people: int = 200) -> bytes:
    return csv_bytes(greek_rows(people))
