# Side by side with gammu-smsd on the same dummy-modem files: gammu-smsd
# (SQL service on SQLite), the gateway, and floor_drain (libGammu read and
# delete, nothing else). See tests/bench/bench_compare.py. Not part of
# `make test`: it installs gammu-smsd. `make bench` installs the same
# packages first (wrk is the USSD benchmark's load generator).
COMPARE_N   ?= 1000 10000
BENCH_PKGS   = gammu-smsd libdbd-sqlite3 wrk

$(B)/bench/floor_drain: $(B)/tests/bench/floor_drain.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# gammu-smsd and its libdbi SQLite driver, when missing (as root).
bench-deps: deps
	@missing=""; for p in $(BENCH_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
		    grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "Missing:$$missing; install with:"; \
			echo "  sudo apt-get install -y$$missing"; exit 1; \
		fi; \
		echo "Installing:$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends $$missing; \
	fi

bench-compare: bench-deps kentongan $(B)/bench/floor_drain
	@python3 tests/bench/bench_compare.py $(COMPARE_N)

.PHONY: bench-deps bench-compare
