"""Settings for the benchmark's gunicorn: the real settings, plus the bare view of milkbank.bench.urls.

Static files are served by name (no collectstatic manifest needed), as in the test settings.
"""

from milkbank.settings import *  # noqa: F403

ROOT_URLCONF = "milkbank.bench.urls"
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
