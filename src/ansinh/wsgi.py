"""WSGI entry point: `ansinh demo` serves it with waitress; production may use any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
application = get_wsgi_application()
