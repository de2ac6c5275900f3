"""Text as the index keeps it and as a query is read: control characters out, one form of
each letter for the embedded database's match (lower case, without accents), and the
PostgreSQL text-search configuration of each language."""

import re
import unicodedata

# PostgreSQL's configurations for the portal's languages. Ukrainian and Polish have none:
# `simple` over unaccent(...) (the words as written, without accents, in lower case). The
# Serbian stemmer reads Cyrillic and Latin alike, so either script finds the other.
CONFIGS = {"en": "english", "el": "greek", "pt": "portuguese", "sr": "serbian"}
SIMPLE = "simple"

# The highlight's marks, from Unicode's private use area: taken out of every indexed text,
# so that no text a member wrote can open or close a highlight.
START, STOP = "\ue000", "\ue001"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_SPACES = re.compile(r"\s+")
WORD = re.compile(r"\w+")


_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


def config_of(language: str, text: str = "") -> str:
    """The configuration of a text in `language`; a text written mostly in Greek letters is
    read as Greek whatever its language says (a Greek member's idea in a workshop held in
    English): only Greek is written in them, so its forms are found all the same."""
    config = CONFIGS.get((language or "").split("-")[0].lower(), SIMPLE)
    if config != CONFIGS["el"] and text:
        sample = text[:2000]
        letters = sum(char.isalpha() for char in sample)
        if letters and len(_GREEK.findall(sample)) * 2 > letters:
            return CONFIGS["el"]
    return config


def clean(text: str) -> str:
    """Without NUL and other control characters (PostgreSQL refuses NUL in text) and without
    the highlight's marks."""
    return _CONTROL.sub(" ", text or "")


def one_line(text: str) -> str:
    return _SPACES.sub(" ", clean(text)).strip()


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Lower case and without accents, one character for each character (so that a place
    found in the folded text is the same place in the original): "Δεδομένα" -> "δεδομενα"."""
    return "".join(_fold_char(char) for char in text)


def words(query: str) -> list[str]:
    """The words of a query, folded, in order, each once."""
    seen = []
    for word in WORD.findall(fold(query)):
        if word not in seen:
            seen.append(word)
    return seen
