#!/bin/sh
# Install the Debian packages Kentongan needs, only those that are missing.
# As root it runs apt-get itself (update first: a fresh machine's package
# lists can be empty or stale); otherwise it prints the exact command.
set -e

PACKAGES="build-essential pkg-config libgammu-dev gammu libevent-dev \
libsqlite3-dev sqlite3 python3 clang tzdata curl strace"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages:$missing"
	echo "Install them with:"
	echo "  sudo apt-get update && sudo apt-get install -y$missing"
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
