# Side by side with gammu-smsd on the same dummy-modem files: gammu-smsd
# (SQL service on SQLite), the gateway, and floor_drain (libGammu read and
# delete, nothing else). See tests/bench/bench_compare.py. Not part of
# `make test`: it installs gammu-smsd. `make bench` installs the same
# packages first (wrk is the USSD benchmark's load generator).
COMPARE_N   ?= 1000 10000

$(B)/bench/floor_drain: $(B)/tests/bench/floor_drain.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# gammu-smsd, its libdbi SQLite driver and wrk, when missing (as root).
bench-deps:
	@sh mk/deps.sh build test bench

bench-compare: bench-deps kentongan $(B)/bench/floor_drain
	@python3 tests/bench/bench_compare.py $(COMPARE_N)

.PHONY: bench-deps bench-compare
