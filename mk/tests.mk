# Unit tests of store/, config/, the frame codec, the rules and the loop's
# stages, under the sanitizers.
UNIT_TESTS = test_store test_config test_ussd_menu test_cron test_policy \
	test_budget

$(B)/tests/unit/test_store: $(BSAN)/tests/unit/test_store.o \
    $(addprefix $(BSAN)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/unit/test_config: $(BSAN)/tests/unit/test_config.o \
    $(addprefix $(BSAN)/,$(CONFIG_SRCS:.c=.o)) $(BSAN)/gateway/worker/frame.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

$(B)/tests/unit/test_ussd_menu: $(BSAN)/tests/unit/test_ussd_menu.o \
    $(BSAN)/gateway/ussd/ussd_menu.o $(PARSER_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

$(B)/tests/unit/test_cron: $(BSAN)/tests/unit/test_cron.o \
    $(BSAN)/gateway/rules/cron.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

$(B)/tests/unit/test_policy: $(BSAN)/tests/unit/test_policy.o \
    $(BSAN)/gateway/rules/policy.o $(BSAN)/gateway/rules/intake.o $(addprefix $(BSAN)/,$(CONFIG_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

$(B)/tests/unit/test_budget: $(BSAN)/tests/unit/test_budget.o \
    $(BSAN)/gateway/rules/budget.o $(PARSER_SAN_OBJS) \
    $(addprefix $(BSAN)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

test-unit: $(addprefix $(B)/tests/unit/,$(UNIT_TESTS))
	@set -e; for t in $(UNIT_TESTS); do $(B)/tests/unit/$$t; done

# The store's two threads (WAL sync, checkpoints) beside its user, under
# ThreadSanitizer: a separate build, as TSan and ASan do not mix.
BTSAN = $(B)/tsan
$(BTSAN)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 -fsanitize=thread $(PKG_CFLAGS) -c -o $@ $<

$(B)/tests/unit/test_store-tsan: $(BTSAN)/tests/unit/test_store.o \
    $(addprefix $(BTSAN)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=thread -o $@ $^ $(PKG_LIBS) -lpthread

test-store-tsan: $(B)/tests/unit/test_store-tsan
	@TSAN_OPTIONS=halt_on_error=1:exitcode=66 $(B)/tests/unit/test_store-tsan

test-unit: test-store-tsan

.PHONY: test-store-tsan

.PHONY: test-unit

# Benchmarks of the store with every village of Indonesia loaded.
$(B)/bench/bench_villages: $(B)/tests/bench/bench_villages.o \
    $(addprefix $(B)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

VILLAGES_CSV ?= data/villages/wilayah-desa.csv.gz

bench-villages: bench-deps kentongan $(B)/bench/bench_villages
	@sh tests/bench/bench_villages.sh $(VILLAGES_CSV)

.PHONY: bench-villages

# Send-error classes, routing, credit and their store side.
UNIT_TESTS += test_modem

$(B)/tests/unit/test_modem: $(BSAN)/tests/unit/test_modem.o \
    $(BSAN)/gateway/rules/cms_errors.o $(BSAN)/gateway/rules/route.o \
    $(BSAN)/gateway/rules/credit.o $(addprefix $(BSAN)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

test-unit: $(B)/tests/unit/test_modem

# The USSD endpoint against a bare evhttp server, with wrk.
$(B)/bench/bare_http: $(B)/tests/bench/bare_http.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

bench-ussd: bench-deps kentongan $(B)/bench/bare_http
	@sh tests/bench/bench_ussd.sh

.PHONY: bench-ussd

# Queue a broadcast to 100,000 villagers through the real command.
bench-broadcast: bench-deps kentongan
	@sh tests/bench/bench_broadcast.sh

.PHONY: bench-broadcast

# USSD p99 during a 200k-row contacts import and the import's memory for a
# 100 MB CSV, next to the base branch's binary (BASE=main), with ratios.
bench-office: bench-deps kentongan
	@python3 tests/bench/bench_office.py

.PHONY: bench-office

# gateway/util/clock: days and dates in the configured zone.
UNIT_TESTS += test_clock

$(B)/tests/unit/test_clock: $(BSAN)/tests/unit/test_clock.o \
    $(BSAN)/gateway/util/clock.o $(PARSER_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

test-unit: $(B)/tests/unit/test_clock

# The stages and the USSD handler against a stub loop (no libevent, no
# libGammu) and a real store in a temporary file (tests/unit/loop_stub.c).
STAGE_TESTS = test_process test_outbound test_inbound test_scheduler \
	test_busy \
	test_ussd
UNIT_TESTS += $(STAGE_TESTS)
STAGE_TEST_OBJS = $(addprefix $(BSAN)/,tests/unit/loop_stub.o \
	$(GATEWAY_STAGE_SRCS:.c=.o) $(GATEWAY_USSD_SRCS:.c=.o) \
	$(GATEWAY_RULES_SRCS:.c=.o) gateway/util/clock.o gateway/util/log.o \
	$(STORE_SRCS:.c=.o) $(CONFIG_SRCS:.c=.o) $(PARSER_SRCS:.c=.o))

$(addprefix $(B)/tests/unit/,$(STAGE_TESTS)): $(B)/tests/unit/%: \
    $(BSAN)/tests/unit/%.o $(STAGE_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ -lsqlite3 -lz -lm -lpthread

test-unit: $(addprefix $(B)/tests/unit/,$(STAGE_TESTS))

# Workers told to stop are reaped without blocking the loop.
UNIT_TESTS += test_reap

$(B)/tests/unit/test_reap: $(BSAN)/tests/unit/test_reap.o \
    $(BSAN)/gateway/loop/reap.o $(BSAN)/gateway/util/log.o \
    $(BSAN)/gateway/util/clock.o $(PARSER_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

test-unit: $(B)/tests/unit/test_reap

# The modem channel on a real event loop, the test binary as its worker:
# stopping never frees what on_read still uses.
UNIT_TESTS += test_modem_stop

$(B)/tests/unit/test_modem_stop: $(BSAN)/tests/unit/test_modem_stop.o \
    $(addprefix $(BSAN)/,gateway/loop/modem.o gateway/loop/loop.o \
    gateway/loop/reap.o gateway/worker/frame.o gateway/worker/frame_msg.o \
    gateway/util/log.o gateway/util/clock.o \
    $(GATEWAY_RULES_SRCS:.c=.o) $(STORE_SRCS:.c=.o) $(CONFIG_SRCS:.c=.o) \
    $(PARSER_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

test-unit: $(B)/tests/unit/test_modem_stop

# gateway/worker/frame_msg: every frame type both sides exchange.
UNIT_TESTS += test_frame_msg

$(B)/tests/unit/test_frame_msg: $(BSAN)/tests/unit/test_frame_msg.o \
    $(BSAN)/gateway/worker/frame_msg.o $(BSAN)/gateway/worker/frame.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

test-unit: $(B)/tests/unit/test_frame_msg

# gateway/util/auth_guard: failed authentications, per source.
UNIT_TESTS += test_auth_guard

$(B)/tests/unit/test_auth_guard: $(BSAN)/tests/unit/test_auth_guard.o \
    $(BSAN)/gateway/util/auth_guard.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

test-unit: $(B)/tests/unit/test_auth_guard

# Backups: the daily copies' names and pruning, and store_backup's copies
# of a real file while another connection writes.
UNIT_TESTS += test_backup

$(B)/tests/unit/test_backup: $(BSAN)/tests/unit/test_backup.o \
    $(BSAN)/gateway/rules/backup_plan.o $(addprefix $(BSAN)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

test-unit: $(B)/tests/unit/test_backup

# gateway/util/wake: the office's commands wake the daemon.
UNIT_TESTS += test_wake

$(B)/tests/unit/test_wake: $(BSAN)/tests/unit/test_wake.o \
    $(BSAN)/gateway/util/wake.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^

test-unit: $(B)/tests/unit/test_wake

# The store's busiest statements as SQLite plans them (no temporary
# b-tree for each change of an outbox row).
UNIT_TESTS += test_store_plan

$(B)/tests/unit/test_store_plan: $(BSAN)/tests/unit/test_store_plan.o \
    $(addprefix $(BSAN)/,$(STORE_SRCS:.c=.o))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

test-unit: $(B)/tests/unit/test_store_plan
