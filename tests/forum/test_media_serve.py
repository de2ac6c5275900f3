"""The embedded setup (DEBUG) serves uploaded files itself: a file is served, and a name the
file system refuses (too long, a NUL byte) is not found, never a server error."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from forum.views import media_serve


@pytest.mark.django_db  # closing the answer ends the request: Django then checks its connection
def test_an_uploaded_file_is_served(tmp_path):
    (tmp_path / "minutes.txt").write_text("Minutes of the forum meeting")
    response = media_serve(RequestFactory().get("/media/minutes.txt"), "minutes.txt", tmp_path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Minutes of the forum meeting"
    response.close()


@pytest.mark.parametrize("name", ["a" * 5000, "minutes\x00.txt", "missing.txt"])
def test_a_name_the_file_system_refuses_is_not_found(tmp_path, name):
    with pytest.raises(Http404):
        media_serve(RequestFactory().get("/media/x"), name, tmp_path)
