"""Generate the data set at a scale in the database of DATABASE_URL, count each page's
queries in-process with Django's test client, and print JSON: the targets, a logged-in
session for the load generator, and the query counts.

    DATABASE_URL=... python benchmarks/support/prepare.py --scale 1
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from benchmarks.support.dataset import (  # noqa: E402
    generate,
    session_for,
    storm_direct,
    storm_generate,
    storm_sustained_generate,
    storm_verify,
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--storm", action="store_true", help="the registration storm's data")
    parser.add_argument("--verify-storm", type=int, metavar="WORKSHOP")
    parser.add_argument("--storm-direct", type=int, metavar="PROCESSES")
    parser.add_argument("--storm-sustained", type=int, metavar="REGISTRATIONS")
    args = parser.parse_args()
    if args.storm_sustained:
        json.dump(storm_sustained_generate(args.storm_sustained), sys.stdout)
        return
    if args.storm:
        json.dump(storm_generate(), sys.stdout)
        return
    if args.storm_direct:
        json.dump(storm_direct(args.storm_direct), sys.stdout)
        return
    if args.verify_storm:
        json.dump(storm_verify(args.verify_storm), sys.stdout)
        return
    data = generate(args.scale)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    data["session"] = session_for(data["viewer"])

    setup_test_environment()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    member = Client()
    member.force_login(get_user_model().objects.get(pk=data["viewer"]))
    anonymous = Client()
    for target in data["targets"]:
        client = anonymous if target.get("anonymous") else member
        # Each page as computed (as right after any write: core.kept_pages), then as kept.
        for kept, count in ((False, "queries"), (True, "queries_kept")):
            settings.KEPT_PAGES = kept
            sent = target.get("headers", {})
            # warm caches, as a visitor after the first finds them (and the first request of
            # an open-data file writes it)
            client.get(target["path"], headers=sent).getvalue()
            client.get(target["path"], headers=sent).getvalue()  # kept now (or stored)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(target["path"], headers=sent)
                body = response.getvalue()
            target[count] = len(queries.captured_queries)
        target["status"] = response.status_code
        target["bytes"] = len(body)
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
