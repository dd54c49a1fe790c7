#!/bin/sh
# Queue one SMS to each of 100,000 villagers through the real command
# (goal: under a second), skipping opted-out numbers.
set -e
cd "$(dirname "$0")/../.."
dir=tests/out/bench-broadcast
rm -rf "$dir"; mkdir -p "$dir"
cat > "$dir/k.ini" <<INI
[kentongan]
database = $dir/k.db
create_database = yes
[gammu]
device = $dir/modem
connection = none
model = dummy
INI
./kentongan contacts -c "$dir/k.ini" list > /dev/null	# creates the schema
# 100,000 warga, one in 50 opted out (generated in SQL: fast, and not timed)
sqlite3 "$dir/k.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
  FROM n WHERE i < 100000) INSERT INTO contacts (number, number_raw, name,
  role, desa, opted_out, created_at, updated_at) SELECT printf('+62812%07d', i),
  printf('0812%07d', i), 'Warga ' || i, 'warga', '33.22.18.2002', i % 50 = 0,
  0, 0 FROM n; INSERT INTO contact_desa SELECT number, desa FROM contacts;"
out=$(./kentongan broadcast -c "$dir/k.ini" WARGA "Musyawarah RKP Desa Senin jam 09.00 di balai desa")
echo "broadcast: $out (100000 warga, 2000 opted out; goal: under 1 s)"
