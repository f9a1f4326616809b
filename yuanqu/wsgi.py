"""WSGI entry point: ``gunicorn yuanqu.wsgi``.

Without the production settings (``yuanqu.settings``) the process stops with one Chinese
line and exit code 4, which makes gunicorn halt instead of starting workers again."""

import os

from django.core.wsgi import get_wsgi_application

from yuanqu.cli import APP_LOAD_ERROR, require_serving

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
require_serving(APP_LOAD_ERROR)
application = get_wsgi_application()
