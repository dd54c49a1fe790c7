#!/bin/sh
# Every benchmark figure the issues ask for, printed in one run.
cd "$(dirname "$0")/../.." || exit 1
set -e
make -s bench-parser
make -s bench-villages
python3 tests/bench/bench_modem.py
make -s bench-ussd
make -s bench-broadcast
python3 tests/bench/bench_status.py
python3 tests/bench/bench_console.py
make -s bench-office
make -s bench-central
make -s bench-compare
# last: its final line is issue 20's summary (issue 8's is just above)
make -s bench-kannel
