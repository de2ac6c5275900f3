"""Every voice counted: a member's self-described gender is optional, kept in their words and
as a canonical answer whatever the language, and shown only in aggregate on the balance page,
where no group of fewer than 5 people is ever given as a number."""

import html
import itertools
import json
import re

import pytest
from django.urls import reverse

from members.models import StakeholderGroup, User
from members.voices import (
    ANOTHER,
    MAN,
    NON_BINARY,
    NOT_GIVEN,
    PREFER_NOT_TO_SAY,
    SELF_DESCRIBED,
    SMALLEST_SHOWN,
    WOMAN,
    gender_canonical,
    gender_recognised,
    small_groups_rule,
    voices_summary,
)
from tests.factories import DEFAULT_PASSWORD, UserFactory, member_of

pytestmark = pytest.mark.django_db

GOV, NON_GOV = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


def people(n, gender="", words="", group=NON_GOV):
    organisation = member_of(group).organisation
    User.objects.filter(organisation=organisation).update(gender=gender)
    for _i in range(n - 1):
        UserFactory(organisation=organisation, gender=gender, self_described_gender=words)


def shown(breakdown) -> dict:
    """What a reader learns of each group: its number, "<5" or "hidden"."""
    return {
        g.key: g.count if g.shown else ("<5" if g.fewer else "hidden") for g in breakdown.groups
    }


def voices_table(response) -> dict:
    """The gender table of the balance page as a reader sees it: label -> text."""
    page = html.unescape(response.content.decode())
    table = page.split("By gender (self-described)")[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', table)
    return dict(rows)


# --- The small-group rule ----------------------------------------------------------------


def test_four_people_are_fewer_than_5_and_five_are_5():
    four = small_groups_rule([("a", "A", 10), ("b", "B", 4), ("c", "C", 3)])
    five = small_groups_rule([("a", "A", 10), ("b", "B", 5), ("c", "C", 0)])

    assert shown(four) == {"a": 10, "b": "<5", "c": "<5"}
    # 0 identifies nobody: it is shown.
    assert shown(five) == {"a": 10, "b": 5, "c": 0}


def test_one_small_group_takes_the_next_smallest_with_it_so_the_total_gives_nothing_away():
    breakdown = small_groups_rule(
        [("women", "W", 12), ("men", "M", 9), ("another", "A", 3), ("not_given", "N", 0)]
    )

    # 3 alone could be worked out as 24 - 12 - 9: the men (the smallest shown) are hidden too.
    assert shown(breakdown) == {"women": 12, "men": "hidden", "another": "<5", "not_given": 0}


def test_fewer_than_5_people_in_all_get_no_breakdown():
    breakdown = small_groups_rule([("a", "A", 4), ("b", "B", 0)])

    assert breakdown.too_few and breakdown.total_shown is None
    assert all(not g.shown and not g.fewer for g in breakdown.groups)


def _recoverable_from_the_page(counts, breakdown) -> bool:
    """Whether some group shown as "fewer than 5" has one possible value only, for a reader
    who knows the total and every label (hidden ones are 5 or more)."""
    known = {g.key: g.count for g in breakdown.groups if g.shown}
    small = [g.key for g in breakdown.groups if g.fewer]
    hidden = [g.key for g in breakdown.groups if g.hidden]
    rest = sum(counts) - sum(known.values())
    possible = {key: set() for key in small}
    for values in itertools.product(range(1, 5), repeat=len(small)):
        left = rest - sum(values)
        if (hidden and left >= 5 * len(hidden)) or (not hidden and left == 0):
            for key, value in zip(small, values, strict=True):
                possible[key].add(value)
    return any(len(values) == 1 for values in possible.values())


def test_no_group_under_5_is_ever_shown_or_recoverable_from_the_total():
    # Every split of up to 16 people into four groups, and some larger ones.
    splits = [c for c in itertools.product(range(0, 9), repeat=4) if sum(c) <= 16]
    splits += [(40, 3, 1, 0), (40, 30, 4, 4), (7, 1, 1, 1), (100, 5, 1, 2), (20, 6, 5, 1)]
    for counts in splits:
        breakdown = small_groups_rule([(str(i), str(i), n) for i, n in enumerate(counts)])
        for group, n in zip(breakdown.groups, counts, strict=True):
            if group.shown:
                assert group.count == n
                assert n == 0 or n >= SMALLEST_SHOWN, counts
            if 0 < n < SMALLEST_SHOWN:
                assert not group.shown, counts
        if not breakdown.too_few:
            assert not _recoverable_from_the_page(counts, breakdown), (counts, shown(breakdown))


# --- Recognising the answers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Woman", WOMAN),
        ("  FEMALE ", WOMAN),
        ("Γυναίκα", WOMAN),
        ("kobieta", WOMAN),
        ("Mulher", WOMAN),
        ("жена", WOMAN),
        ("Жінка", WOMAN),
        ("άνδρας", MAN),
        ("Mężczyzna", MAN),
        ("homem", MAN),
        ("мушкарац", MAN),
        ("чоловік", MAN),
        ("non-binary", NON_BINARY),
        ("não binário", NON_BINARY),
        ("Prefiro não dizer", PREFER_NOT_TO_SAY),
        ("genderfluid", SELF_DESCRIBED),
        ("", ""),
    ],
)
def test_common_answers_are_recognised_in_the_six_languages(typed, canonical):
    assert gender_recognised(typed) == canonical


def test_a_choice_wins_over_words_and_words_alone_are_recognised():
    assert gender_canonical(choice=MAN, text="") == MAN
    assert gender_canonical(choice="", text="Γυναίκα") == WOMAN
    assert gender_canonical(choice=SELF_DESCRIBED, text="mulher") == WOMAN
    assert gender_canonical(choice=SELF_DESCRIBED, text="two-spirit") == SELF_DESCRIBED
    assert gender_canonical(choice="", text="") == ""


# --- The aggregate -----------------------------------------------------------------------


def test_the_aggregate_is_one_query_however_many_members(django_assert_num_queries):
    people(6, WOMAN)
    people(5, MAN)
    people(2, NON_BINARY)
    people(1, SELF_DESCRIBED, "agender")

    with django_assert_num_queries(1):
        breakdown = voices_summary(User.objects.all())

    # Non-binary and self-described count together: 3, fewer than 5; the men (the smallest
    # shown) are hidden so that 14 - 6 - 5 does not give the 3 away.
    assert shown(breakdown) == {
        WOMAN: 6,
        MAN: "hidden",
        ANOTHER: "<5",
        PREFER_NOT_TO_SAY: 0,
        NOT_GIVEN: 0,
    }


def test_the_balance_page_shows_gender_in_aggregate_beside_the_stakeholder_groups(client):
    people(7, WOMAN, group=GOV)
    people(6, MAN, group=NON_GOV)
    people(2, NON_BINARY)
    people(2, PREFER_NOT_TO_SAY)
    people(1, "", group=GOV)

    response = client.get(reverse("members:composition"))

    assert voices_table(response) == {
        "Women": "7",
        "Men": "6",
        "Non-binary or another self-description": "fewer than 5",
        "Prefer not to say": "fewer than 5",
        "Not given": "fewer than 5",
        "All": "18",
    }
    page = response.content.decode()
    assert page.index("By stakeholder group") < page.index("By gender (self-described)")


def test_four_and_five_on_the_balance_page(client):
    people(10, WOMAN)
    people(4, MAN)
    people(5, NON_BINARY)
    people(3, "")

    table = voices_table(client.get(reverse("members:composition")))

    assert table["Men"] == "fewer than 5" and table["Not given"] == "fewer than 5"
    assert table["Non-binary or another self-description"] == "5"
    assert table["Women"] == "10" and table["All"] == "22"
    assert "4" not in table.values() and "3" not in table.values()


def test_the_balance_page_never_names_anyone_with_their_gender(client):
    UserFactory(full_name="Ada Lovelace", gender=NON_BINARY, self_described_gender="genderqueer")
    people(5, WOMAN)

    page = client.get(reverse("members:composition")).content.decode()

    assert "Ada Lovelace" not in page and "genderqueer" not in page


def test_a_forum_with_fewer_than_5_participants_shows_no_breakdown(client):
    people(3, WOMAN)

    table = voices_table(client.get(reverse("members:composition")))

    assert table["All"] == "fewer than 5"
    assert "Women" not in table


# --- The forms ---------------------------------------------------------------------------


def test_the_profile_keeps_a_free_text_description_and_offers_the_common_answers(client):
    member = member_of(GOV, self_described_gender="two-spirit", gender=SELF_DESCRIBED)
    client.force_login(member)

    page = client.get(reverse("members:profile")).content.decode()
    assert 'value="two-spirit"' in page
    assert "never shown beside your name" in page
    for answer in ("Woman", "Man", "Non-binary", "Prefer not to say"):
        assert f">{answer}</option>" in page

    data = {
        "full_name": member.full_name,
        "organisation": member.organisation_id,
        "position": "",
        "preferred_language": "en",
        "gender": "",
        "self_described_gender": "Γυναίκα",
    }
    assert client.post(reverse("members:profile"), data).status_code == 302
    member.refresh_from_db()
    assert (member.gender, member.self_described_gender) == (WOMAN, "Γυναίκα")

    data.update(gender=SELF_DESCRIBED, self_described_gender="")
    response = client.post(reverse("members:profile"), data)
    assert response.status_code == 400
    assert "Describe yourself in your own words" in response.content.decode()

    data.update(gender=PREFER_NOT_TO_SAY)
    client.post(reverse("members:profile"), data)
    member.refresh_from_db()
    assert (member.gender, member.self_described_gender) == (PREFER_NOT_TO_SAY, "")


def test_the_sign_up_stores_the_canonical_answer_and_the_words(client):
    organisation = member_of(NON_GOV).organisation
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "full_name": "Zofia Nowak",
            "organisation": organisation.pk,
            "preferred_language": "pl",
            "gender": "",
            "self_described_gender": "Kobieta",
            "privacy_consent": "on",
        },
    )

    assert response.status_code == 302
    member = User.objects.get(email="new.person@example.org")
    assert (member.gender, member.self_described_gender) == (WOMAN, "Kobieta")


def test_my_data_still_holds_my_own_answer(client):
    member = member_of(GOV, gender=SELF_DESCRIBED, self_described_gender="agender")
    client.login(email=member.email, password=DEFAULT_PASSWORD)

    account = json.loads(client.get(reverse("members:my_data")).content)["account"]

    assert account["gender"] == SELF_DESCRIBED
    assert account["self_described_gender"] == "agender"


def test_the_migration_gives_the_answers_typed_so_far_their_canonical_value():
    import importlib  # noqa: PLC0415 -- a migration module's name starts with a digit

    from django.apps import apps  # noqa: PLC0415

    migration = importlib.import_module("members.migrations.0011_user_gender")
    typed = {"Γυναίκα": WOMAN, "Male": MAN, "genderqueer": SELF_DESCRIBED, "": ""}
    members = {words: UserFactory(self_described_gender=words) for words in typed}

    migration.genders_recognised(apps, None)

    for words, member in members.items():
        member.refresh_from_db()
        assert (member.gender, member.self_described_gender) == (typed[words], words)
