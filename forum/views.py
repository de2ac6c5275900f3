from django.shortcuts import render
from django.views.i18n import set_language as django_set_language

from forum.i18n import language_supported
from members.selectors import forum_at_a_glance


def home(request):
    return render(request, "home.html", {"glance": forum_at_a_glance()})


def set_language(request):
    """The language switcher: Django's set_language (a cookie, then back to the page), and
    for a logged-in member the choice also becomes their preference, for the next visit on
    another device and for their e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language_supported(language):
        from members.services import member_language_set

        member_language_set(member=request.user, language=language)
    return response
