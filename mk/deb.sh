#!/bin/sh
# make deb: build/deb/kentongan_VERSION_ARCH.deb. The tree is copied into
# build/deb/ (tracked and new files, as a clone holds them) and built
# there with dpkg-buildpackage, so the outputs land in build/deb/ and
# nothing is written in the source tree. lintian then reads the package:
# an error fails the target.
set -eu

version=$(cat VERSION)
packaged=$(dpkg-parsechangelog -S Version)
if [ "$version" != "$packaged" ]; then
	echo "make deb: VERSION says $version but debian/changelog $packaged;" \
	    "add an entry: dch -v $version" >&2
	exit 1
fi
out=build/deb
src=$out/kentongan-$version
deb=$out/kentongan_${version}_$(dpkg --print-architecture).deb

rm -rf "$out"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
    tar --null -T - -cf - | tar -xf - -C "$src"
echo "dpkg-buildpackage -b -us -uc in $src (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -b -us -uc) > "$out/build.log" 2>&1; then
	tail -30 "$out/build.log"
	echo "make deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
fi
rm -rf "$src"
echo "lintian $deb"
lintian --fail-on error "$deb"
echo "built $deb"
