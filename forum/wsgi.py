import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
application = get_wsgi_application()

from forum.warmup import warm_up  # noqa: E402 -- after Django is set up

warm_up()  # in each worker as it starts, not in its first requests
