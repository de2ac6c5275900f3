"""Events: pages in a forum's back office, /manage/<forum>/... (forum/manage_urls.py
gathers them under the namespace "manage")."""

urlpatterns: list = []
