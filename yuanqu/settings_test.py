"""Settings for the test suite: debug off paths, fast hashing, a throw-away SQLite file."""

import os
import tempfile

os.environ.setdefault("YUANQU_DEBUG", "true")
os.environ.setdefault("YUANQU_VAR_DIR", tempfile.mkdtemp(prefix="yuanqu-test-"))

from yuanqu.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
# Argon2 stays first (a test checks the stored hash); its cost is lowered for speed.
PASSWORD_HASHERS = ["yuanqu.users.hashers.FastArgon2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests read the context of each response; the response cache (which answers without running
# the view) is tested on its own with the setting on (core/tests/test_response_cache.py).
YUANQU_PAGE_CACHE = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test runs in one transaction on an in-memory database no other process opens. An
# IMMEDIATE transaction would hold the write lock from the test's start, and SQLite's online
# backup of that database (console-script tests copy the migrated schema) would wait for it
# forever. The configured mode is tested on a real file database (core/tests/test_sqlite_wal.py).
DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)  # noqa: F405
