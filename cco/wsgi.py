"""The WSGI application gunicorn serves, with production settings unless told otherwise."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings.production")
application = get_wsgi_application()

# Django, the apps and the URL map, loaded above, live as long as the process: frozen, the cyclic collector stops
# rescanning them, and a larger first generation makes full collections rarer. Without this, a page that builds a
# few thousand rows (the dashboard at 2,000 departments) paid a 60-70 ms collection in one request out of five
# (docs/performance.md, "Garbage collection").
gc.freeze()
gc.set_threshold(50_000, 20, 20)
