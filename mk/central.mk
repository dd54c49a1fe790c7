# The central database's benchmark (issue 21; docs/central.md): USSD and
# SMS handling quiet and while a backlog of CENTRAL_BACKLOG rows is pushed
# to a private PostgreSQL 15 cluster, in one run. `make bench` runs it.
CENTRAL_BACKLOG ?= 100000
CENTRAL_ROUNDS ?= 3

bench-central: bench-deps test-deps kentongan
	@python3 tests/bench/bench_central.py $(CENTRAL_BACKLOG) $(CENTRAL_ROUNDS)

.PHONY: bench-central
