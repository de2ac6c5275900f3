from django.urls import path

from core.search import views

app_name = "search"

urlpatterns = [path("", views.search_page, name="results")]
