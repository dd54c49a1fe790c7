# Sourced by tests/fresh/run.sh: the Debian package on a pristine copy of
# the minimal root, installed as an operator would:
#   apt-get update && apt-get install ./kentongan_VERSION_ARCH.deb
# (its dependencies from the mirror). No systemd runs in a chroot, so the
# unit is enabled and not started. Then: the user kentongan in dialout,
# /var/lib/kentongan its own with the database `kentongan init` made, the
# config a conffile, --version, check-config as that user, the daemon
# started by hand with no modem keeps running; `apt-get remove` keeps the
# database, `apt-get purge` removes it and says so.
# Uses run.sh's ok, bad, umount_all, stop_group, $pkgroot, $out and $path.

in_pkg() {
	env -i PATH=$path HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
	    chroot "$pkgroot" /bin/sh -c "$1"
}

# Prints the lines of $2 to show when $1 is false, and counts it.
pkg_check() {
	if eval "$1"; then
		ok "package: $3"
	else
		bad "package: $3: $(cat "$2" 2>/dev/null | tail -5)"
	fi
}

package_check() {
	pkg_t0=$(date +%s)
	version=$(cat VERSION)
	if ! make -s deb > "$out/deb.log" 2>&1; then
		tail -20 "$out/deb.log"
		bad "make deb (log: $out/deb.log)"
		return
	fi
	deb=$(ls build/deb/kentongan_"$version"_*.deb)
	ok "make deb: $deb"
	cp /etc/resolv.conf "$pkgroot/etc/resolv.conf"
	mount -t proc proc "$pkgroot/proc"
	mount --bind /dev "$pkgroot/dev"
	mount --bind /dev/pts "$pkgroot/dev/pts"
	cp "$deb" "$pkgroot/tmp/"
	name=${deb##*/}
	if in_pkg "cd /tmp && apt-get update -qq && apt-get install -y ./$name" \
	    > "$out/pkg-install.log" 2>&1; then
		ok "apt-get install ./$name on a pristine root"
	else
		tail -20 "$out/pkg-install.log"
		bad "apt-get install ./$name (log: $out/pkg-install.log)"
		return
	fi
	log=$out/pkg-check.log
	pkg_check 'in_pkg "id -nG kentongan" > "$log" 2>&1 && grep -qw dialout "$log"' \
	    "$log" "user kentongan in dialout"
	pkg_check '[ "$(in_pkg "stat -c %U:%G:%a /var/lib/kentongan" 2> "$log")" = kentongan:kentongan:750 ]' \
	    "$log" "/var/lib/kentongan is kentongan's, 0750"
	pkg_check '[ "$(in_pkg "stat -c %U /var/lib/kentongan/kentongan.db" 2> "$log")" = kentongan ] &&
	    [ "$(head -c 15 "$pkgroot/var/lib/kentongan/kentongan.db")" = "SQLite format 3" ]' \
	    "$out/pkg-install.log" "a database made by kentongan init, kentongan's"
	# the package's binary reads the installed config without -c
	pkg_check 'in_pkg "runuser -u kentongan -- kentongan status" > "$log" 2>&1' \
	    "$log" "kentongan status as kentongan, without -c"
	dpkg-query --admindir="$pkgroot/var/lib/dpkg" -W -f='${Conffiles}' \
	    kentongan > "$log" 2>&1
	pkg_check 'grep -q "^ /etc/kentongan/kentongan.ini " "$log"' \
	    "$log" "/etc/kentongan/kentongan.ini is a conffile"
	pkg_check '[ -L "$pkgroot/etc/systemd/system/multi-user.target.wants/kentongan.service" ]' \
	    /dev/null "the unit is enabled"
	pkg_check '[ "$(in_pkg "kentongan --version" 2> "$log")" = "kentongan $version" ]' \
	    "$log" "kentongan --version"
	pkg_check '[ "$(in_pkg "runuser -u kentongan -- kentongan check-config -c /etc/kentongan/kentongan.ini" 2> "$log")" = "configuration OK" ]' \
	    "$log" "check-config as kentongan"
	package_daemon
	in_pkg "apt-get remove -y kentongan" > "$out/pkg-remove.log" 2>&1
	pkg_check '[ -f "$pkgroot/var/lib/kentongan/kentongan.db" ] &&
	    ! [ -e "$pkgroot/usr/bin/kentongan" ]' \
	    "$out/pkg-remove.log" "apt-get remove keeps the database"
	in_pkg "apt-get purge -y kentongan" > "$out/pkg-purge.log" 2>&1
	pkg_check '! [ -e "$pkgroot/var/lib/kentongan" ] &&
	    grep -q "removing /var/lib/kentongan" "$out/pkg-purge.log"' \
	    "$out/pkg-purge.log" "apt-get purge removes the database and says so"
	umount_all "$pkgroot" && rm -rf --one-file-system "$pkgroot"
	echo "the package check took $(( $(date +%s) - pkg_t0 )) s"
}

# The installed service's command line, by hand and as its user: with no
# modem at /dev/ttyUSB0 it runs on, the modem marked down.
package_daemon() {
	dlog=$out/pkg-daemon.log
	# setpriv execs: SIGTERM reaches the daemon alone, as from systemd
	setsid env -i PATH=$path LANG=C.UTF-8 chroot "$pkgroot" setpriv \
	    --reuid=kentongan --regid=kentongan --init-groups \
	    kentongan run -c /etc/kentongan/kentongan.ini > "$dlog" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 30 ] && kill -0 "$pid" 2>/dev/null &&
	    ! grep -q 'modem down' "$dlog"; do
		sleep 1
		i=$((i + 1))
	done
	pkg_check 'kill -0 "$pid" 2>/dev/null && grep -q "kentongan running" "$dlog" &&
	    grep -q "modem down" "$dlog"' \
	    "$dlog" "the service's command runs with no modem, the modem marked down"
	stop_group "$pid"
	wait "$pid" 2>/dev/null
}
