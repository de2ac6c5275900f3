from django.conf import settings
from django.urls import get_resolver, reverse

from forum.warmup import warm_up


def test_a_web_process_builds_the_url_patterns_of_every_language_when_it_starts():
    resolver = get_resolver()
    resolver._reverse_dict.clear()

    warm_up()

    assert set(resolver._reverse_dict) == {code for code, _name in settings.LANGUAGES}
    assert reverse("home") == "/"
