import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_is_public_and_linked_from_every_page(client):
    notice = reverse("members:privacy")

    page = client.get(notice)

    assert page.status_code == 200
    assert "self-described gender" in page.content.decode()
    assert f'href="{notice}"' in client.get(reverse("home")).content.decode()


def test_the_sign_up_form_links_the_notice_it_asks_to_accept(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert f'<a href="{reverse("members:privacy")}">Read the privacy notice</a>' in html


def test_the_profile_page_title_is_plain_text(client):
    client.force_login(UserFactory())

    html = client.get(reverse("members:profile")).content.decode()

    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title
    assert "My profile" in title
