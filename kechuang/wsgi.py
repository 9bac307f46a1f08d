import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
application = get_wsgi_application()

# What was loaded at start-up (settings, apps, segmentation dictionaries) lives as long as the
# process; freezing it keeps it out of every full garbage collection, which otherwise stalls a
# request now and then for as long as it takes to walk those objects.
gc.freeze()
