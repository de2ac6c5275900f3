from django.shortcuts import render

from members.selectors import forum_at_a_glance


def index(request):
    return render(request, "members/index.html", {"glance": forum_at_a_glance()})
