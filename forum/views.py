from django.shortcuts import render

from members.selectors import forum_at_a_glance


def home(request):
    return render(request, "home.html", {"glance": forum_at_a_glance()})
