"""The serving process of the benchmark: a fresh Django process that answers the queries' pages.

``python -m bench.serve QUERIES.json OUT.json`` (started by ``bench.run`` with the benchmark's
environment); writes the page timings and this process's peak RSS.
"""

import json
import os
import sys


def main(argv):
    queries_path, out_path = argv[1], argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition_archive.settings")
    import django

    django.setup()
    from django.conf import settings

    # DEBUG is off, as in production, but nobody ran collectstatic for the benchmark: plain
    # static URLs instead of the manifest (a dictionary lookup either way).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from bench.engines import run_pages

    with open(queries_path, encoding="utf-8") as queries_file:
        queries = json.load(queries_file)
    result = run_pages(queries)
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main(sys.argv)
