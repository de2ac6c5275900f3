"""Settings for the benchmarks only: the portal's own settings plus one URL, a bare view,
the framework's floor that each page is compared with. Production never loads this module."""

from forum.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.support.urls"
