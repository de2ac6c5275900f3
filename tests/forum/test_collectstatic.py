"""The static files collect as production collects them (whitenoise's manifest storage): a
vendored script that names a file which is not there (a source map) stops `collectstatic`,
and with it the container's start."""

import io

from django.core.management import call_command


def test_the_static_files_collect_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        # Django's manifest storage: the same check of what each file names as whitenoise's,
        # without the compression that would take half a minute here.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", stdout=io.StringIO())
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/qr-scanner/qr-scanner.umd.min.*.js"))
