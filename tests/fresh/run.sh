#!/bin/sh
# The README's promise on a truly fresh Debian 12: a minimal root made with
# debootstrap (minbase, plus only git, make, gcc, libc6-dev, python3 and
# ca-certificates), this working tree copied in at a long path, then as a
# new user would:
#   1. `make deps` as a non-root user prints the sudo line and stops;
#   2. `make run` as root installs what is missing, builds and starts;
#   3. the README's `./kentongan inject ...` and `./kentongan export
#      messages`, verbatim, show the SMS in and its reply sent.
# Before these, the Debian package built here (`make deb`) is installed
# with apt in a copy of the root taken before anything else is in it
# (tests/fresh/package.sh).
# Needs root (debootstrap, chroot, mounts) and Debian's mirror.
#   FRESH_MIRROR  the Debian mirror (default http://deb.debian.org/debian)
#   FRESH_ROOT    where the root is made (default /var/tmp/kentongan-fresh-root)
#   FRESH_PKG_ROOT  its pristine copy, for the package (default FRESH_ROOT-pkg)
#   KEEP=1        keep the root afterwards
#   FRESH_FIRST=test  run the whole `make test` as the first command, before
#                 `make run` (about 15 minutes more; not in CI)
# Last line: "fresh-machine: N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
out=$top/tests/out/fresh
# Outside the clone: `make clean` must never walk into a root with /dev
# mounted in it.
root=${FRESH_ROOT:-/var/tmp/kentongan-fresh-root}
pkgroot=${FRESH_PKG_ROOT:-$root-pkg}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
# A clone about 100 characters deep: sockets a test makes under it would
# pass the 108-byte limit of a Unix socket path.
clone=/home/pendamping/kantor-kecamatan-getasan/kabupaten-semarang/gateway-sms-ussd/kentongan-uji-mesin-baru
passed=0
failed=0
daemon=""

ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() {
	echo "fresh-machine: $passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

if [ "$(id -u)" -ne 0 ]; then
	echo "make test-fresh needs root (debootstrap, chroot)"
	bad "not root"
	finish
fi

# Unmounts what this script mounted in the root $1.
umount_all() {
	for m in dev/pts dev proc; do
		if mountpoint -q "$1/$m" 2>/dev/null; then
			umount -l "$1/$m" || return 1
		fi
	done
}
# Stops the process group $1. The gateway stops cleanly on SIGTERM (up to
# 10 s for a send); whatever is left of the group then is killed.
stop_group() {
	kill -TERM "-$1" 2>/dev/null
	i=0
	while [ $i -lt 15 ] && kill -0 "-$1" 2>/dev/null; do
		sleep 1
		i=$((i + 1))
	done
	kill -KILL "-$1" 2>/dev/null
}
cleanup() {
	# and anything else still running inside a root is killed
	if [ -n "$daemon" ]; then
		stop_group "$daemon"
	fi
	for p in /proc/[0-9]*; do
		case $(readlink "$p/root" 2>/dev/null) in
		"$root" | "$pkgroot") kill -KILL "${p#/proc/}" 2>/dev/null ;;
		esac
	done
	# Never remove a root while /dev or /proc is mounted in it.
	for r in "$root" "$pkgroot"; do
		if umount_all "$r" && [ "${KEEP:-0}" != 1 ]; then
			rm -rf --one-file-system "$r"
		fi
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for r in "$root" "$pkgroot"; do
	umount_all "$r" || { bad "a mount is left in $r"; finish; }
	rm -rf --one-file-system "$r"
done
mkdir -p "$out"
t0=$(date +%s)
echo "debootstrap minbase bookworm from $mirror"
if ! debootstrap --variant=minbase \
    --include=git,make,gcc,libc6-dev,python3,ca-certificates \
    bookworm "$root" "$mirror" > "$out/debootstrap.log" 2>&1; then
	tail -20 "$out/debootstrap.log"
	bad "debootstrap failed (log: $out/debootstrap.log)"
	finish
fi
echo "debootstrap took $(( $(date +%s) - t0 )) s"
cp -a "$root" "$pkgroot"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

# The working tree as a clone would hold it: tracked and new files, never
# what .gitignore names (build outputs, the database).
mkdir -p "$root$clone"
git ls-files -z --cached --others --exclude-standard |
    tar --null -T - -cf - | tar -xf - -C "$root$clone"

# As a login would: none of this make's variables (MAKELEVEL, MAKEFLAGS).
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
as_root="env -i PATH=$path HOME=/root LANG=C.UTF-8"
in_root() { $as_root chroot "$root" /bin/sh -c "cd $clone && $1"; }

# 0. The package, in the copy (removed when done).
. tests/fresh/package.sh
package_check

# 1. A user without root gets the exact command, and make stops.
chroot "$root" useradd -m warga
chmod -R a+rX "$root/home/pendamping"
if env -i PATH=$path HOME=/home/warga LANG=C.UTF-8 chroot "$root" \
    setpriv --reuid=warga --regid=warga --init-groups /bin/sh -c "cd $clone && make deps" > "$out/deps-user.log" 2>&1; then
	bad "make deps as a user exited 0 on a machine without the packages"
elif grep -q '^  sudo apt-get update && sudo apt-get install -y .*libgammu-dev' \
    "$out/deps-user.log"; then
	ok "make deps as a user prints the sudo line and stops"
else
	bad "make deps as a user: $(cat "$out/deps-user.log")"
fi

# 1b. Optionally the whole test suite as the very first command.
if [ "${FRESH_FIRST:-}" = test ]; then
	t0=$(date +%s)
	if in_root "make test" > "$out/test.log" 2>&1; then
		ok "make test as the first command: $(tail -1 "$out/test.log"), $(( $(date +%s) - t0 )) s"
	else
		tail -30 "$out/test.log"
		bad "make test as the first command failed (log: $out/test.log)"
	fi
fi

# 2. make run, as the README says, in the background.
t0=$(date +%s)
setsid $as_root chroot "$root" /bin/sh -c "cd $clone && exec make run" \
    > "$out/run.log" 2>&1 &
daemon=$!
up=0
i=0
while [ $i -lt 900 ]; do
	if grep -q 'kentongan running' "$out/run.log"; then
		up=1
		break
	fi
	kill -0 "$daemon" 2>/dev/null || break
	sleep 1
	i=$((i + 1))
done
if [ $up = 1 ]; then
	ok "make run installed, built and started in $(( $(date +%s) - t0 )) s"
else
	tail -30 "$out/run.log"
	bad "make run did not start the gateway (log: $out/run.log)"
	finish
fi

# 3. The README's own lines, verbatim.
inject="./kentongan inject +6281234567890 'ADUAN sukamaju jalan rusak'"
export_cmd="./kentongan export messages"
for line in "$inject" "$export_cmd"; do
	grep -qxF "$line" README.md || bad "README no longer says: $line"
done
if in_root "$inject" > "$out/inject.log" 2>&1; then
	ok "inject"
else
	bad "inject: $(cat "$out/inject.log")"
fi
seen=0
i=0
while [ $i -lt 60 ]; do
	in_root "$export_cmd" > "$out/export.csv" 2>&1
	if grep -q '^[0-9]*,out,.*,sent,' "$out/export.csv" &&
	    grep -q ',in,.*ADUAN sukamaju jalan rusak' "$out/export.csv"; then
		seen=1
		break
	fi
	sleep 1
	i=$((i + 1))
done
if [ $seen = 1 ]; then
	ok "export messages shows the SMS in and its reply sent"
else
	cat "$out/export.csv"
	bad "no reply in export messages after 60 s"
fi
finish
