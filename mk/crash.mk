# The crash loop at full size (docs/reliability.md): 1,000 SMS and 100
# SIGKILLs on the dummy modem, then a smaller run on the AT modem emulator
# (its AT initialisation takes about 3.5 s per restart). `make test` runs
# the same test small (200 SMS, 15 kills). CRASH_SEED repeats a run.
CRASH_SMS ?= 1000
CRASH_KILLS ?= 100
CRASH_AT_SMS ?= 150
CRASH_AT_KILLS ?= 20

test-crash: test-deps kentongan
	@CRASH_MODEM=dummy,at CRASH_SMS=$(CRASH_SMS) CRASH_KILLS=$(CRASH_KILLS) \
	    CRASH_AT_SMS=$(CRASH_AT_SMS) CRASH_AT_KILLS=$(CRASH_AT_KILLS) \
	    python3 tests/e2e/test_crash.py

.PHONY: test-crash
