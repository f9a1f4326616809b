"""WSGI entry point: ``gunicorn yuanqu.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
application = get_wsgi_application()
