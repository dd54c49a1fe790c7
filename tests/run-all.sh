#!/bin/sh
# Every test of the project: unit tests (under ASan/UBSan), the fuzz corpus
# replay, and the end-to-end tests of the real binary. Each suite prints
# "name: N passed, M failed"; the last line here adds them up.
cd "$(dirname "$0")/.." || exit 1
mkdir -p tests/out
log=tests/out/run-all.log
: > "$log"
status=0


# Each suite's time is printed after it: make test must stay under 20
# minutes, and this says where they go.
suite() {
	echo "== $*"
	t0=$(date +%s)
	( "$@"; echo "exit=$?" > tests/out/.rc ) 2>&1 | tee -a "$log"
	echo "== $(( $(date +%s) - t0 )) s: $*"
	rc=$(sed -n 's/^exit=//p' tests/out/.rc)
	if [ "$rc" != 0 ]; then
		echo "!! $* exited $rc"
		status=1
	fi
}

# The soak (memory and descriptors level under load; make soak runs it for
# ten minutes) takes four minutes of waiting with little CPU: it runs
# beside the other suites, on the plain ./kentongan (whose memory means
# something; make test built it), and its output is printed and counted
# at the end. It measures the gateway's own memory and descriptors, which
# the other suites' load does not change.
mkdir -p tests/out/soak-bg
( t0=$(date +%s); python3 tests/soak/soak.py --short; rc=$?
  echo "== $(( $(date +%s) - t0 )) s (beside the others): python3 tests/soak/soak.py --short"
  echo "exit=$rc" ) > tests/out/soak-bg/output 2>&1 &
soak_pid=$!

suite make -s test-unit
suite make -s test-parser
suite make -s fuzz-replay
# The layering of gateway/: no circle of calls, calls go downward only.
suite python3 tests/layers/check_layers.py

# The end-to-end suites run once, against the whole binary built with
# ASan and UBSan (the modem worker is the same binary, so it is checked
# too). Any report aborts the process, which fails the test; the logs are
# searched afterwards for reports from processes whose exit went unseen.
# The plain ./kentongan gets one smoke suite.
suite make -s kentongan-san
export KENTONGAN_BIN="$PWD/build/kentongan-san"
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
marker=tests/out/.san-start
: > "$marker"
for t in tests/e2e/test_*.py; do
	suite python3 "$t"
done
san_logs() {
	reports=$(find tests/out -name '*.log' -newer "$marker" \
	    ! -name run-all.log -exec grep -l -e 'ERROR: AddressSanitizer' \
	    -e 'ERROR: LeakSanitizer' -e 'runtime error:' \
	    -e 'WARNING: ThreadSanitizer' {} +)
	for f in $reports; do
		echo "sanitizer report in $f:"
		grep -m 5 -e 'Sanitizer' -e 'runtime error:' "$f"
	done
	n=$(echo $reports | wc -w)
	echo "sanitizer-logs: $((n == 0)) passed, $n failed"
	[ "$n" = 0 ]
}
suite san_logs
unset ASAN_OPTIONS UBSAN_OPTIONS
# The daemon's threads (the loop, the store's sync and checkpoint threads)
# under ThreadSanitizer, in the suites that keep all three busy: SMS in and
# out with their held deletes and sends, and USSD answers parked for the
# sync thread; the console's password checkers. (The daily backup's
# thread was run under TSan once, clean: `KENTONGAN_BIN=build/kentongan-tsan
# python3 tests/e2e/test_backup.py`; kept out for make test's 20 minutes.)
suite make -s kentongan-tsan
export KENTONGAN_BIN="$PWD/build/kentongan-tsan"
export TSAN_OPTIONS=halt_on_error=1:exitcode=66
: > "$marker"
suite python3 tests/e2e/test_foundation.py
suite python3 tests/e2e/test_ussd.py
# the console's two password checkers hand logins back to the loop
suite python3 tests/e2e/test_console_security.py
suite san_logs
rm -f "$marker"
unset KENTONGAN_BIN TSAN_OPTIONS
echo "== the plain binary"
suite python3 tests/e2e/test_foundation.py
soak_result() {
	wait "$soak_pid"
	sed '/^exit=/d' tests/out/soak-bg/output
	[ "$(sed -n 's/^exit=//p' tests/out/soak-bg/output)" = 0 ]
}
suite soak_result
if [ -x tests/modem/selftest.sh ]; then
	suite tests/modem/selftest.sh
fi

awk '/^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
     END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$log" ||
	status=1
rm -f tests/out/.rc
exit $status
