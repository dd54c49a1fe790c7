#!/bin/sh
# Install the Debian packages a make target needs, only those missing.
#   sh mk/deps.sh SET...    SET: build, test, bench, fresh, deb
# As root it runs apt-get itself (update first: a fresh machine's package
# lists can be empty or stale); otherwise it prints the exact command and
# fails, so make stops before a compiler error that would hide the cause.
set -e

# build: what `make` and `make run` need, and nothing a production box
# should not have. gammu is the CLI the README uses to check a real modem.
build="gcc make libc6-dev pkg-config libgammu-dev libevent-dev \
libsqlite3-dev zlib1g-dev libsodium-dev libpq-dev tzdata gammu"
# test: what only `make test` needs (the sanitizer runtimes come with gcc).
# The console's browser tests drive Debian's chromium through its driver
# with Debian's selenium, which is installed for /usr/bin/python3.
# systemd for systemd-analyze (the unit is checked, not run). kannel's
# bearerbox and smsbox, and kannel-extras' fakesmsc, for test_kannel (on
# ports of their own: a Kannel the package started stays untouched).
# postgresql-15 for the central database's tests: a private cluster each
# (tests/e2e/pg_site.py), never the one the package may start.
test="python3 sqlite3 strace clang libclang-rt-14-dev \
chromium chromium-driver python3-selenium systemd kannel kannel-extras \
postgresql-15 postgresql-client-15"
# bench: gammu-smsd and its SQLite driver to race against; wrk for USSD.
bench="gammu-smsd libdbd-sqlite3 wrk"
# fresh: a minimal Debian root for `make test-fresh`.
fresh="debootstrap"
# deb: `make deb`, the package built with Debian's tools and checked by
# lintian. dpkg-buildpackage also wants build-essential (g++ too).
deb="build-essential dpkg-dev debhelper fakeroot lintian"

want=""
for set in "$@"; do
	case $set in
	build) want="$want $build" ;;
	test) want="$want $test" ;;
	bench) want="$want $bench" ;;
	fresh) want="$want $fresh" ;;
	deb) want="$want $deb" ;;
	*) echo "mk/deps.sh: unknown set '$set'" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages:$missing"
	echo "Install them with:"
	echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing"
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
