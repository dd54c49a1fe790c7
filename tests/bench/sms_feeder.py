"""Keep SMS flowing into a dummy modem during a benchmark: N complaints at a
steady rate, written as Gammu's own inbox files (one process, no spawning,
so the feeder itself takes little of the machine).
Usage: sms_feeder.py MODEM_DIR N RATE_PER_SECOND [FIRST]
(FIRST numbers the senders, so a second feed is new SMS, not repeats)"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from test_hostile import deliver, sms_backup, ucs2  # noqa: E402


def main():
    modem, n, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    t0 = time.monotonic()
    for i in range(first, first + n):
        body = sms_backup("+628123%06d" % i, ucs2("ADUAN 3322182002 selokan mampet %d" % i))
        deliver(modem, body)
        delay = t0 + (i - first + 1) / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)


if __name__ == "__main__":
    main()
