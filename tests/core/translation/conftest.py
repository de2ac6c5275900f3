import pytest

from tests.support.libretranslate_stub import Stub


@pytest.fixture
def libretranslate(settings):
    """A local server answering like LibreTranslate (tests/support/libretranslate_stub.py),
    configured as the portal's backend with a short timeout; translations run at once."""
    stub = Stub().start()
    settings.MACHINE_TRANSLATION_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = stub.url
    settings.LIBRETRANSLATE_API_KEY = ""
    settings.MACHINE_TRANSLATION_TIMEOUT = 0.3
    settings.BACKGROUND_THREADS = False
    yield stub
    stub.stop()
