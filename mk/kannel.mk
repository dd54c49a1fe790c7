# The Kannel bearer side by side with Kannel alone (issue 20): Debian's
# bearerbox, smsbox and fakesmsc, a plain HTTP client and bare_http (a
# server that only answers 200). See tests/bench/bench_kannel.py and
# docs/kannel.md. KANNEL_BENCH_N=1000 for a quick look.
KANNEL_BENCH_N ?= 10000

bench-kannel: bench-deps kentongan $(B)/bench/bare_http
	@python3 tests/bench/bench_kannel.py $(KANNEL_BENCH_N)

.PHONY: bench-kannel
