# The soak test at full length (docs/reliability.md): ten minutes of about
# 10 SMS and 38 USSD requests a second on two dummy modems, resident memory
# and descriptors sampled every second. `make test` runs it for four
# minutes (tests/soak/soak.py --short).
SOAK_SECONDS ?= 600

soak: test-deps kentongan
	@SOAK_SECONDS=$(SOAK_SECONDS) python3 tests/soak/soak.py

.PHONY: soak
