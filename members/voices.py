"""Every voice counted: self-described gender, counted only in aggregate.

A member may give their gender (optional): one of the common answers, stored as a canonical
value whatever the language they answered in, or their own words. The pages never show it
beside a person; they show groups, with the small-group rule applied here, in one place:

- fewer than 5 people in all: no breakdown at all (`too_few`);
- a group of 1 to 4 people is shown as "fewer than 5", never as its number; 0 is shown as 0
  (it identifies nobody);
- complementary suppression: the total is public (the stakeholder groups beside it add up to
  it), so a hidden group could be worked out by subtraction. While any group shown as "fewer
  than 5" could be worked out from the total, the labels and the figures shown, the smallest
  figure still shown is hidden too (`hidden`: "not shown"); when nothing is left to hide,
  the breakdown is not shown (`too_few`).

The same rule serves any split of a group of people into parts (first-time and returning
participants, new and returning organisations): `small_groups_rule`.
"""

import itertools
import unicodedata
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

SMALLEST_SHOWN = 5

# The canonical values stored in User.gender ("" = not given).
WOMAN = "woman"
MAN = "man"
NON_BINARY = "non_binary"
SELF_DESCRIBED = "self_described"
PREFER_NOT_TO_SAY = "prefer_not_to_say"

GENDER_CHOICES = [
    (WOMAN, _("Woman")),
    (MAN, _("Man")),
    (NON_BINARY, _("Non-binary")),
    (SELF_DESCRIBED, _("I describe myself (below)")),
    (PREFER_NOT_TO_SAY, _("Prefer not to say")),
]

# The groups the pages show, in this order. Non-binary people and those who describe
# themselves in their own words are counted together: a group of its own for each would
# mostly be too small to show.
ANOTHER = "another"
NOT_GIVEN = "not_given"
GENDER_GROUPS = [
    (WOMAN, _("Women")),
    (MAN, _("Men")),
    (ANOTHER, _("Non-binary or another self-description")),
    (PREFER_NOT_TO_SAY, _("Prefer not to say")),
    (NOT_GIVEN, _("Not given")),
]
GROUP_OF = {
    WOMAN: WOMAN,
    MAN: MAN,
    NON_BINARY: ANOTHER,
    SELF_DESCRIBED: ANOTHER,
    PREFER_NOT_TO_SAY: PREFER_NOT_TO_SAY,
    "": NOT_GIVEN,
}

# What people type for the common answers in the portal's six languages (en, el, pl, pt, sr
# in Cyrillic and Latin, uk), compared without case and accents: recognition data, not text
# shown to anyone.
_SYNONYMS = {
    WOMAN: "woman|women|female|f|w|girl|cis woman|cisgender woman|trans woman"
    "|γυναίκα|θήλυ|θηλυκό|γ"
    "|kobieta|k|żeńska|płeć żeńska"
    "|mulher|feminino|feminina|fem"
    "|жена|женско|женски|žena|žensko|ženski|ž|ж"
    "|жінка|жіноча|жіноча стать|жін",
    MAN: "man|men|male|m|boy|cis man|cisgender man|trans man"
    "|άνδρας|άντρας|άρρεν|αρσενικό|α"
    "|mężczyzna|męska|płeć męska"
    "|homem|masculino|masc|h"
    "|мушкарац|мушко|мушки|muškarac|muško|muški|м"
    "|чоловік|чоловіча|чоловіча стать|чол",
    NON_BINARY: "non-binary|nonbinary|non binary|enby|nb"
    "|μη δυαδικό|μη-δυαδικό|μη δυαδικός|μη δυαδική"
    "|niebinarna|niebinarny|niebinarne|osoba niebinarna"
    "|não binário|não-binário|não binária|não-binária"
    "|небинарно|небинарна|небинаран|nebinarno|nebinarna"
    "|небінарна|небінарний|небінарна особа",
    PREFER_NOT_TO_SAY: "prefer not to say|prefer not to answer|rather not say|n/a"
    "|προτιμώ να μην το πω|προτιμώ να μην απαντήσω|δεν απαντώ"
    "|wolę nie mówić|wolę nie podawać|odmowa"
    "|prefiro não dizer|prefiro não responder"
    "|не желим да кажем|радије не бих рекао|ne želim da kažem"
    "|не бажаю вказувати|волію не казати|не хочу казати",
}


def _folded(text: str) -> str:
    """`text` without case, accents or surrounding punctuation, spaces made single."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("_", " ").strip(" .!-–—").split())


_CANONICAL = {
    _folded(word): value
    for value, words in _SYNONYMS.items()
    for word in [value, *words.split("|")]
}


def gender_recognised(text: str) -> str:
    """The canonical value of what someone typed: a common answer in any of the portal's
    languages, SELF_DESCRIBED for anything else, "" for nothing."""
    if not text or not text.strip():
        return ""
    return _CANONICAL.get(_folded(text), SELF_DESCRIBED)


def gender_canonical(*, choice: str, text: str) -> str:
    """What is stored from a form's answer: the choice, unless the member described themself
    in words that are a common answer (then that answer), or typed words without a choice."""
    text = (text or "").strip()
    if choice in ("", SELF_DESCRIBED):
        return gender_recognised(text) if text else ("" if choice == "" else SELF_DESCRIBED)
    return choice


# --- The small-group rule ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigure:
    """One group as a page shows it: its number, or "fewer than 5" (`fewer`), or hidden so
    that a small group cannot be worked out (`hidden`). Never a person."""

    key: str
    label: str
    count: int | None  # None when not shown
    fewer: bool = False
    hidden: bool = False

    @property
    def shown(self) -> bool:
        return self.count is not None


@dataclass(frozen=True)
class Breakdown:
    total: int
    groups: list[GroupFigure]
    too_few: bool  # no breakdown shown: too few people, or no way to show it safely

    @property
    def total_shown(self) -> int | None:
        return self.total if self.total >= SMALLEST_SHOWN else None


def _recoverable(counts: dict[str, int], small: set[str], hidden: set[str]) -> bool:
    """Whether a group among `small` (each known to be 1 to 4) has one value only, given the
    total, the figures shown, and that each of `hidden` is at least 5 and at most the
    smallest figure still shown (the rule hides the smallest first)."""
    if not small:
        return False
    suppressed = sum(counts[key] for key in small | hidden)
    shown = [n for key, n in counts.items() if key not in small | hidden and n]
    cap = min(shown) if shown else suppressed
    keys = sorted(small)
    possible: dict[str, set[int]] = {key: set() for key in keys}
    for values in itertools.product(range(1, SMALLEST_SHOWN), repeat=len(keys)):
        rest = suppressed - sum(values)
        low, high = SMALLEST_SHOWN * len(hidden), cap * len(hidden)
        if low <= rest <= high:  # the hidden groups can hold the rest (0 without any)
            for key, value in zip(keys, values, strict=True):
                possible[key].add(value)
    return any(len(values) <= 1 for values in possible.values())


def small_groups_rule(groups: list[tuple[str, str, int]]) -> Breakdown:
    """`groups`: (key, label, count) of a group of people split into parts. The breakdown a
    page may show: see the module's docstring."""
    counts = {key: n for key, _label, n in groups}
    total = sum(counts.values())
    small = {key for key, n in counts.items() if 0 < n < SMALLEST_SHOWN}
    hidden: set[str] = set()
    too_few = total < SMALLEST_SHOWN
    while not too_few and _recoverable(counts, small, hidden):
        left = [
            (n, i, key)
            for i, (key, n) in enumerate(counts.items())
            if key not in small | hidden and n
        ]
        if not left:
            too_few = True
            break
        hidden.add(min(left)[2])
    figures = []
    for key, label, n in groups:
        if too_few:
            figures.append(GroupFigure(key, label, None, hidden=True))
        elif key in small:
            figures.append(GroupFigure(key, label, None, fewer=True))
        elif key in hidden:
            figures.append(GroupFigure(key, label, None, hidden=True))
        else:
            figures.append(GroupFigure(key, label, n))
    return Breakdown(total=total, groups=figures, too_few=too_few)


def gender_counts(members) -> dict[str, int]:
    """How many of `members` (a queryset of users) are in each gender group: one query
    (GROUP BY), however many members."""
    counts = {key: 0 for key, _label in GENDER_GROUPS}
    rows = members.order_by().values_list("gender").annotate(n=Count("id", distinct=True))
    for value, n in rows:
        counts[GROUP_OF.get(value, ANOTHER)] += n
    return counts


def voices_summary(members) -> Breakdown:
    """`members` by self-described gender, with the small-group rule: one query."""
    counts = gender_counts(members)
    return small_groups_rule([(key, label, counts[key]) for key, label in GENDER_GROUPS])
