"""Settings for the test suite: the real settings, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"

from milkbank.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One process, and query-count tests should count the page's queries, not the cache's.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": {**CACHES["local"], "LOCATION": "milkbank-tests-local"},  # noqa: F405
}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Django's test client logs in without a request, which django-axes refuses; the lockout tests turn it on.
AXES_ENABLED = False
# 2FA is tested on its own; other tests sign in with a password only.
REQUIRE_STAFF_2FA = False
# In production every request re-saves the session to push back the idle deadline: three constant queries
# (savepoint, update, release) per request. Query-count pins leave them out so they count each page's own
# work; tests/milkbank/test_security.py turns it back on to test the idle timeout.
SESSION_SAVE_EVERY_REQUEST = False
