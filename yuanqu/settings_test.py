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
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
