#!/bin/sh
# Import every village of Indonesia into a fresh database through the real
# command (goal: under 5 s), then time name and code lookups.
set -e
csv=${1:-data/villages/wilayah-desa.csv.gz}
dir=tests/out/bench-villages
rm -rf "$dir"
mkdir -p "$dir"
cat > "$dir/k.ini" <<INI
[kentongan]
database = $dir/k.db
create_database = yes
[gammu]
device = $dir/modem
connection = none
model = dummy
INI
if [ ! -f "$csv" ]; then
	echo "villages: $csv not found" >&2
	exit 1
fi
out=$(./kentongan villages -c "$dir/k.ini" import "$csv")
echo "villages import: $out (goal: under 5 s)"
build/bench/bench_villages "$dir/k.db" "$csv"
