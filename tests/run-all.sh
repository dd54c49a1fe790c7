#!/bin/sh
# Every test of the project: unit tests (under ASan/UBSan), the fuzz corpus
# replay, and the end-to-end tests of the real binary. Each suite prints
# "name: N passed, M failed"; the last line here adds them up.
cd "$(dirname "$0")/.." || exit 1
mkdir -p tests/out
log=tests/out/run-all.log
: > "$log"
status=0


suite() {
	echo "== $*"
	( "$@"; echo "exit=$?" > tests/out/.rc ) 2>&1 | tee -a "$log"
	rc=$(sed -n 's/^exit=//p' tests/out/.rc)
	if [ "$rc" != 0 ]; then
		echo "!! $* exited $rc"
		status=1
	fi
}

suite make -s test-unit
suite make -s test-parser
suite make -s fuzz-replay
for t in tests/e2e/test_*.py; do
	suite python3 "$t"
done
if [ -x tests/modem/selftest.sh ]; then
	suite tests/modem/selftest.sh
fi

awk '/^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
     END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$log" ||
	status=1
rm -f tests/out/.rc
exit $status
