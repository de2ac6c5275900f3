import pytest


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the index's after-commit work of what the test creates inside `with indexed():`
    (tests run in a transaction that never commits)."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


def found(response, kind=None, *, close=False) -> list[str]:
    """The titles on a results page (of one kind), as text; none when the words matched
    nothing and the page offers titles close to them (on PostgreSQL), unless `close`."""
    results = response.context["results"]
    if results is None or (results.fuzzy and not close):
        return []
    titles = []
    for group in results.groups:
        if kind is None or group.kind == kind:
            titles += [_text(hit.title) for hit in group.hits]
    return titles


def _text(html) -> str:
    import re  # noqa: PLC0415 -- only here

    return re.sub(r"<[^>]+>", "", str(html))
