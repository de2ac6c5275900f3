"""A busy forum's writes during a benchmark: a member's name written RATE times a second
(a real UPDATE through Django's connection, which starts a new content generation for the
kept pages, core.kept_pages) until the process is stopped; prints how many it wrote.

    DJANGO_SETTINGS_MODULE=benchmarks.support.settings python benchmarks/support/writer.py 20
"""

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from members.models import User  # noqa: E402

stopped = False


def _stop(*_args):
    global stopped  # noqa: PLW0603 -- the loop's one flag
    stopped = True


def main():
    signal.signal(signal.SIGTERM, _stop)
    rate = float(sys.argv[1])
    members = list(User.objects.order_by("pk").values_list("pk", flat=True)[:50])
    written, start = 0, time.monotonic()
    while not stopped:
        pk = members[written % len(members)]
        User.objects.filter(pk=pk).update(full_name=f"Busy member {written}")
        written += 1
        pause = start + written / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    print(f"{written} writes in {time.monotonic() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
